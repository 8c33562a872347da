namespace LetsData.Runtime.Reading;

/// <summary>One GetRecords page as a shard reader needs it.</summary>
/// <param name="RecordCount">Records the page appended.</param>
/// <param name="NextIterator">The next page's iterator; null: the shard is closed and this was its last page.</param>
/// <param name="AtTip">An empty page with nothing newer in the shard.</param>
internal readonly record struct ShardPage(int RecordCount, string? NextIterator, bool AtTip);

/// <summary>
/// The GetRecords loop of a stream shard (Kinesis, DynamoDB Streams): one page per call; done when the shard is closed
/// and drained (no next iterator), or, unless <paramref name="untilClosed"/>, at the first page at the tip. An expired
/// iterator is replaced by one just after the last record handed out, so nothing is skipped or read twice; a quiet
/// shard is polled with a growing pause. The services differ only in the calls and records, which subclasses give.
/// </summary>
internal abstract class ShardPollReader<TRecord>(string? startAfter, bool untilClosed)
{
    private static readonly TimeSpan FirstIdlePause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxIdlePause = TimeSpan.FromSeconds(1);

    private string? _iterator;
    private string? _lastSequenceNumber = startAfter;
    private bool _done;
    private TimeSpan _idlePause;

    public async ValueTask<bool> ReadAsync(List<TRecord> batch, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return false;
        }

        if (_idlePause > TimeSpan.Zero)
        {
            // The last page was empty at the tip: do not poll a quiet shard in a tight loop.
            await Task.Delay(_idlePause, cancellationToken).ConfigureAwait(false);
        }

        _iterator ??= await NewIteratorAsync(_lastSequenceNumber, cancellationToken).ConfigureAwait(false);
        var first = batch.Count;
        ShardPage page;
        try
        {
            page = await GetPageAsync(_iterator, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsExpiredIterator(e))
        {
            batch.RemoveRange(first, batch.Count - first);
            _iterator = await NewIteratorAsync(_lastSequenceNumber, cancellationToken).ConfigureAwait(false);
            page = await GetPageAsync(_iterator, batch, cancellationToken).ConfigureAwait(false);
        }

        if (page.RecordCount > 0)
        {
            _lastSequenceNumber = SequenceNumberOf(batch[^1]);
        }

        _iterator = page.NextIterator;
        if (_iterator is null)
        {
            // Closed shard: this was its last page; the records just added still go to the caller.
            _done = true;
            return page.RecordCount > 0;
        }

        if (page.AtTip && !untilClosed)
        {
            _done = true;
            return false;
        }

        _idlePause = page.AtTip
            ? TimeSpan.FromTicks(Math.Min(Math.Max(_idlePause.Ticks * 2, FirstIdlePause.Ticks), MaxIdlePause.Ticks))
            : TimeSpan.Zero;
        return true;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>An iterator just after <paramref name="afterSequenceNumber"/>, or at the reader's start when it is null.</summary>
    protected abstract Task<string> NewIteratorAsync(string? afterSequenceNumber, CancellationToken cancellationToken);

    /// <summary>One GetRecords call appending to <paramref name="batch"/>.</summary>
    protected abstract Task<ShardPage> GetPageAsync(string iterator, List<TRecord> batch, CancellationToken cancellationToken);

    protected abstract string SequenceNumberOf(TRecord record);

    protected abstract bool IsExpiredIterator(Exception e);
}

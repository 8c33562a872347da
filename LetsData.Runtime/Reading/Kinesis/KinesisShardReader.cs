using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Reading.Kinesis;

/// <summary>
/// Reads one shard with GetRecords. It is done when the shard is closed and drained (no next iterator), or, unless
/// continuous, when a page comes back empty with the reader at the tip (MillisBehindLatest 0). An expired iterator is
/// replaced by one just after the last record handed out, so nothing is skipped or read twice.
/// </summary>
internal sealed class KinesisShardReader(
    KinesisClient client, string streamName, string shardId, ShardPosition start, bool continuous, int recordsPerRead)
    : IKinesisShardReader
{
    private static readonly TimeSpan FirstIdlePause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxIdlePause = TimeSpan.FromSeconds(1);

    private string? _iterator;
    private string? _lastSequenceNumber;
    private bool _done;
    private TimeSpan _idlePause;

    public async ValueTask<bool> ReadAsync(List<KinesisRecord> batch, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return false;
        }

        if (_idlePause > TimeSpan.Zero)
        {
            // The last page was empty at the tip (continuous mode): do not poll a quiet shard in a tight loop.
            await Task.Delay(_idlePause, cancellationToken).ConfigureAwait(false);
        }

        _iterator ??= await NewIteratorAsync(cancellationToken).ConfigureAwait(false);
        var first = batch.Count;
        KinesisRecordsPage page;
        try
        {
            page = await client.GetRecordsAsync(_iterator, recordsPerRead, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (KinesisException e) when (e.ErrorCode == "ExpiredIteratorException")
        {
            batch.RemoveRange(first, batch.Count - first);
            _iterator = await NewIteratorAsync(cancellationToken).ConfigureAwait(false);
            page = await client.GetRecordsAsync(_iterator, recordsPerRead, batch, cancellationToken).ConfigureAwait(false);
        }

        if (page.RecordCount > 0)
        {
            _lastSequenceNumber = batch[^1].SequenceNumber;
        }

        _iterator = page.NextShardIterator;
        if (_iterator is null)
        {
            // Closed shard: this was its last page; the records just added still go to the caller.
            _done = true;
            return page.RecordCount > 0;
        }

        var atTip = page.RecordCount == 0 && page.MillisBehindLatest is 0;
        if (atTip && !continuous)
        {
            _done = true;
            return false;
        }

        _idlePause = atTip
            ? TimeSpan.FromTicks(Math.Min(Math.Max(_idlePause.Ticks * 2, FirstIdlePause.Ticks), MaxIdlePause.Ticks))
            : TimeSpan.Zero;
        return true;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<string> NewIteratorAsync(CancellationToken cancellationToken) =>
        _lastSequenceNumber is not null
            ? client.GetShardIteratorAsync(streamName, shardId, KinesisShardIteratorType.AfterSequenceNumber, _lastSequenceNumber, cancellationToken)
            : client.GetShardIteratorAsync(streamName, shardId, start.Type, start.SequenceNumber, cancellationToken);
}

using LetsData.Runtime.Aws.DynamoDBStreams;

namespace LetsData.Runtime.Reading.DynamoDBStreams;

/// <summary>
/// Reads one shard with GetRecords. It is done when the shard is closed and drained (no next iterator), or, unless
/// <paramref name="untilClosed"/>, at the first empty page (DynamoDB Streams has no MillisBehindLatest: for an open
/// shard an empty page is as caught up as a reader can tell). Continuous readers and readers of closed shards go on
/// until the shard has no next iterator. An expired iterator is replaced by one just after the last record handed out.
/// </summary>
internal sealed class DynamoDBStreamShardReader(DynamoDBStreamsClient client, string streamArn, string shardId,
    DynamoDBStreamIteratorType startType, string? startAfter, bool untilClosed, int recordsPerRead) : IDynamoDBStreamShardReader
{
    private static readonly TimeSpan FirstIdlePause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxIdlePause = TimeSpan.FromSeconds(1);

    private string? _iterator;
    private string? _lastSequenceNumber = startAfter;
    private bool _done;
    private TimeSpan _idlePause;

    public async ValueTask<bool> ReadAsync(List<DynamoDBStreamRecord> batch, CancellationToken cancellationToken)
    {
        if (_done)
        {
            return false;
        }

        if (_idlePause > TimeSpan.Zero)
        {
            // The last page was empty: do not poll a quiet shard in a tight loop.
            await Task.Delay(_idlePause, cancellationToken).ConfigureAwait(false);
        }

        _iterator ??= await NewIteratorAsync(cancellationToken).ConfigureAwait(false);
        var first = batch.Count;
        DynamoDBStreamRecordsPage page;
        try
        {
            page = await client.GetRecordsAsync(_iterator, recordsPerRead, batch, cancellationToken).ConfigureAwait(false);
        }
        catch (DynamoDBStreamsException e) when (e.ErrorCode == "ExpiredIteratorException")
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

        if (page.RecordCount == 0 && !untilClosed)
        {
            _done = true;
            return false;
        }

        _idlePause = page.RecordCount == 0
            ? TimeSpan.FromTicks(Math.Min(Math.Max(_idlePause.Ticks * 2, FirstIdlePause.Ticks), MaxIdlePause.Ticks))
            : TimeSpan.Zero;
        return true;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<string> NewIteratorAsync(CancellationToken cancellationToken) =>
        _lastSequenceNumber is not null
            ? client.GetShardIteratorAsync(streamArn, shardId, DynamoDBStreamIteratorType.AfterSequenceNumber, _lastSequenceNumber, cancellationToken)
            : client.GetShardIteratorAsync(streamArn, shardId, startType, null, cancellationToken);
}

using LetsData.Runtime.Measures;

namespace LetsData.Runtime.Writing.DynamoDB;

/// <summary>What a DynamoDB write connector did, over all its tasks (for benchmarks and tests). Thread-safe.</summary>
public sealed class DynamoDBWriteCounters
{
    private long _batchWriteItemCalls;
    private long _itemsWritten;
    private long _unprocessedRetries;
    private long _errorRetries;

    /// <summary>BatchWriteItem calls made (each SDK call once, whatever the SDK retried inside it).</summary>
    public long BatchWriteItemCalls => Interlocked.Read(ref _batchWriteItemCalls);

    /// <summary>Items DynamoDB accepted.</summary>
    public long ItemsWritten => Interlocked.Read(ref _itemsWritten);

    /// <summary>Calls repeated because DynamoDB returned unprocessed items.</summary>
    public long UnprocessedRetries => Interlocked.Read(ref _unprocessedRetries);

    /// <summary>Calls repeated after throttling or a server error the SDK's own retries did not get past.</summary>
    public long ErrorRetries => Interlocked.Read(ref _errorRetries);

    internal void AddCall(int items)
    {
        ProcessMeasures.SinkBatch(items);
        Interlocked.Increment(ref _batchWriteItemCalls);
    }

    internal void AddItemsWritten(int count) => Interlocked.Add(ref _itemsWritten, count);
    // Unprocessed items are DynamoDB's way of throttling a batch.
    internal void AddUnprocessedRetry()
    {
        ProcessMeasures.SinkRetried(throttled: true);
        Interlocked.Increment(ref _unprocessedRetries);
    }

    internal void AddErrorRetry(bool throttled)
    {
        ProcessMeasures.SinkRetried(throttled);
        Interlocked.Increment(ref _errorRetries);
    }

    public override string ToString() =>
        $"BatchWriteItem calls {BatchWriteItemCalls}, items written {ItemsWritten}, unprocessed retries {UnprocessedRetries}, error retries {ErrorRetries}";
}

namespace LetsData.Runtime.Reading.DynamoDBStreams;

/// <summary>Where a DynamoDB stream's reading starts (LetsData's <c>dynamoDBReaderTaskStartFromCondition</c>).</summary>
public enum DynamoDBStreamStartFrom
{
    /// <summary>The oldest record kept (TRIM_HORIZON).</summary>
    Earliest,

    /// <summary>Records written after the shard's task starts (LATEST).</summary>
    Latest,
}

/// <summary>
/// Where a DynamoDB Streams read connector's tasks read from (a stream through our client, or memory in the test
/// harness). Where each shard starts and whether a shard reader stops when caught up are the source's settings.
/// </summary>
public interface IDynamoDBStreamSource
{
    /// <summary>A human-readable name of the stream for messages.</summary>
    string Describe();

    /// <summary>The stream's ARN and its shards (open and closed), parents listed before their children.</summary>
    Task<DynamoDBStreamDescription> DescribeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Opens a reader over one shard. <paramref name="afterSequenceNumber"/>, when set, overrides the source's start
    /// position: reading resumes after that record (a checkpoint).
    /// </summary>
    IDynamoDBStreamShardReader OpenShard(string shardId, string? afterSequenceNumber = null);
}

/// <summary>Reads one shard in batches. Used from one task's thread.</summary>
public interface IDynamoDBStreamShardReader : IAsyncDisposable
{
    /// <summary>
    /// Appends the next records to <paramref name="batch"/> (possibly none while the shard is idle). Returns false when
    /// the shard has nothing more for this run: it is closed and drained, or it has caught up and the source stops there.
    /// </summary>
    ValueTask<bool> ReadAsync(List<DynamoDBStreamRecord> batch, CancellationToken cancellationToken);
}

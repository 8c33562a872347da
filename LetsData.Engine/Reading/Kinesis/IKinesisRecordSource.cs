namespace LetsData.Runtime.Reading.Kinesis;

/// <summary>One record read from a Kinesis shard. <c>Data</c> is owned by the record (the plugin gets a span of it).</summary>
public readonly record struct KinesisRecord(
    string PartitionKey, string SequenceNumber, DateTimeOffset ApproximateArrivalTimestamp, ReadOnlyMemory<byte> Data);

/// <summary>The shards of a stream, listed once when a run starts: one task per shard.</summary>
public sealed record KinesisStreamShards(string StreamArn, IReadOnlyList<string> ShardIds);

/// <summary>
/// Where a Kinesis read connector's tasks read from (the stream behind the Kinesis client, or memory in the test
/// harness). Where each shard starts and whether a shard reader stops when it has caught up are the source's settings.
/// </summary>
public interface IKinesisRecordSource
{
    /// <summary>A human-readable name of the stream for messages.</summary>
    string Describe();

    /// <summary>Lists the stream's shards (open and closed).</summary>
    Task<KinesisStreamShards> ListShardsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Opens a reader over one shard. <paramref name="afterSequenceNumber"/>, when set, overrides the source's start
    /// position: reading resumes after that record (a checkpoint).
    /// </summary>
    IKinesisShardReader OpenShard(string shardId, string? afterSequenceNumber = null);
}

/// <summary>Reads one shard in batches. Used from one task's thread.</summary>
public interface IKinesisShardReader : IAsyncDisposable
{
    /// <summary>
    /// Appends the next records to <paramref name="batch"/> (possibly none while the shard is idle). Returns false when
    /// the shard has nothing more for this run: it is closed and drained, or it has caught up and the source stops there.
    /// </summary>
    ValueTask<bool> ReadAsync(List<KinesisRecord> batch, CancellationToken cancellationToken);
}

using LetsData.Runtime.Aws.DynamoDBStreams;

namespace LetsData.Runtime.Reading.DynamoDBStreams;

/// <summary>
/// The DynamoDB Streams read connector's source over a real stream (through <see cref="DynamoDBStreamsClient"/>): one
/// shard reader per task. Without <paramref name="continuous"/>, a reader of an open shard stops at its first empty
/// page (caught up); a closed shard's reader stops when the shard is drained.
/// </summary>
/// <param name="client">The client to read with (shared by all tasks).</param>
/// <param name="streamArn">The stream.</param>
/// <param name="start">Where each shard starts unless a checkpoint says otherwise.</param>
/// <param name="continuous">Whether readers of open shards keep polling after catching up.</param>
/// <param name="recordsPerRead">GetRecords' Limit (1 to 1000).</param>
public sealed class DynamoDBStreamSource(DynamoDBStreamsClient client, string streamArn, DynamoDBStreamStartFrom start, bool continuous,
    int recordsPerRead = 1000) : IDynamoDBStreamSource
{
    /// <summary>The stream.</summary>
    public string StreamArn { get; } = streamArn;

    /// <inheritdoc />
    public string Describe() => $"DynamoDB stream '{StreamArn}' at {client.Endpoint} (start {start}{(continuous ? ", continuous" : "")})";

    /// <inheritdoc />
    public Task<DynamoDBStreamDescription> DescribeAsync(CancellationToken cancellationToken) => client.DescribeStreamAsync(StreamArn, cancellationToken);

    /// <inheritdoc />
    public IDynamoDBStreamShardReader OpenShard(string shardId, string? afterSequenceNumber = null) =>
        new DynamoDBStreamShardReader(client, StreamArn, shardId, afterSequenceNumber is not null
            ? DynamoDBStreamIteratorType.AfterSequenceNumber
            : start == DynamoDBStreamStartFrom.Latest ? DynamoDBStreamIteratorType.Latest : DynamoDBStreamIteratorType.TrimHorizon,
            afterSequenceNumber, continuous, recordsPerRead);
}

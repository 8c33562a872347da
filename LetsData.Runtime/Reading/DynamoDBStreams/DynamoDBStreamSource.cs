using LetsData.Runtime.Aws.DynamoDBStreams;

namespace LetsData.Runtime.Reading.DynamoDBStreams;

/// <summary>
/// The DynamoDB Streams read connector's source over a real stream (through <see cref="DynamoDBStreamsClient"/>): one
/// shard reader per task. Without <paramref name="continuous"/>, a reader of an open shard stops at its first empty
/// page (caught up); a shard that was closed when the stream was described is read until it is drained (DynamoDB
/// may answer empty pages before its end).
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

    private volatile HashSet<string> _closedShards = [];

    /// <inheritdoc />
    public async Task<DynamoDBStreamDescription> DescribeAsync(CancellationToken cancellationToken)
    {
        var stream = await client.DescribeStreamAsync(StreamArn, cancellationToken).ConfigureAwait(false);
        _closedShards = stream.Shards.Where(s => s.EndingSequenceNumber is not null).Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
        return stream;
    }

    /// <inheritdoc />
    public IDynamoDBStreamShardReader OpenShard(string shardId, string? afterSequenceNumber = null) =>
        new DynamoDBStreamShardReader(client, StreamArn, shardId, afterSequenceNumber is not null
            ? DynamoDBStreamIteratorType.AfterSequenceNumber
            : start == DynamoDBStreamStartFrom.Latest ? DynamoDBStreamIteratorType.Latest : DynamoDBStreamIteratorType.TrimHorizon,
            afterSequenceNumber, continuous || _closedShards.Contains(shardId), recordsPerRead);
}

using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Reading.Kinesis;

/// <summary>
/// The Kinesis read connector's source over a real stream (through <see cref="KinesisClient"/>): one shard reader per
/// task. Without <paramref name="continuous"/>, a shard reader stops once it has caught up with the shard's tip;
/// with it, it keeps polling until cancelled.
/// </summary>
/// <param name="client">The client to read with (shared by all tasks).</param>
/// <param name="streamName">The stream.</param>
/// <param name="start">Where each shard starts unless a checkpoint says otherwise.</param>
/// <param name="continuous">Whether readers keep polling after catching up.</param>
/// <param name="recordsPerRead">GetRecords' Limit (1 to 10,000).</param>
public sealed class KinesisRecordSource(
    KinesisClient client, string streamName, KinesisStartPosition start, bool continuous, int recordsPerRead = 10_000)
    : IKinesisRecordSource
{
    /// <summary>The stream.</summary>
    public string StreamName { get; } = streamName;

    /// <summary>Where shards start.</summary>
    public KinesisStartPosition Start { get; } = start;

    /// <summary>Whether readers keep polling after catching up.</summary>
    public bool Continuous { get; } = continuous;

    /// <inheritdoc />
    public string Describe() => $"Kinesis stream '{StreamName}' at {client.Endpoint} (start {Start}{(Continuous ? ", continuous" : "")})";

    /// <inheritdoc />
    public async Task<KinesisStreamShards> ListShardsAsync(CancellationToken cancellationToken)
    {
        var summary = await client.DescribeStreamSummaryAsync(StreamName, cancellationToken).ConfigureAwait(false);
        var shards = await client.ListShardsAsync(StreamName, cancellationToken).ConfigureAwait(false);
        return new KinesisStreamShards(summary.StreamArn, shards.Select(s => s.ShardId).ToList());
    }

    /// <inheritdoc />
    public IKinesisShardReader OpenShard(string shardId, string? afterSequenceNumber = null)
    {
        var position = afterSequenceNumber is not null
            ? new ShardPosition(KinesisShardIteratorType.AfterSequenceNumber, afterSequenceNumber)
            : Start.Kind switch
            {
                KinesisStartKind.Latest => new ShardPosition(KinesisShardIteratorType.Latest, null),
                KinesisStartKind.AtSequenceNumber when Start.SequenceNumbers.TryGetValue(shardId, out var at) =>
                    new ShardPosition(KinesisShardIteratorType.AtSequenceNumber, at),
                _ => new ShardPosition(KinesisShardIteratorType.TrimHorizon, null),
            };
        return new KinesisShardReader(client, StreamName, shardId, position, Continuous, recordsPerRead);
    }
}

/// <summary>Where a shard reader's first iterator points.</summary>
internal readonly record struct ShardPosition(KinesisShardIteratorType Type, string? SequenceNumber);

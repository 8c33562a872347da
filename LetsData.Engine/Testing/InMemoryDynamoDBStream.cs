using System.Globalization;
using LetsData.Runtime.Reading.DynamoDBStreams;

namespace LetsData.Runtime.Testing;

/// <summary>
/// A DynamoDB stream in memory for the test harness: shards (a child names its parent) of change records with
/// increasing sequence numbers, keys and images as plain values. The engine reads it through the same
/// <see cref="IDynamoDBStreamSource"/> as a real stream, a child shard's task after its parent's; a shard reader stops
/// when it has handed out every record (caught up).
/// </summary>
public sealed class InMemoryDynamoDBStream : IDynamoDBStreamSource
{
    private readonly List<(DynamoDBStreamShard Shard, List<DynamoDBStreamRecord> Records)> _shards = [];
    private long _nextSequenceNumber = 100_000_000_000_000_000L;

    public InMemoryDynamoDBStream(string tableName = "test-table", string streamViewType = "NEW_IMAGE", int batchSize = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        StreamArn = $"arn:aws:dynamodb:us-east-1:000000000000:table/{tableName}/stream/2026-01-01T00:00:00.000";
        StreamViewType = streamViewType;
        BatchSize = batchSize;
    }

    public string StreamArn { get; }

    /// <summary>What the records carry: <c>NEW_IMAGE</c>, <c>OLD_IMAGE</c>, <c>NEW_AND_OLD_IMAGES</c> or <c>KEYS_ONLY</c>.</summary>
    public string StreamViewType { get; }

    /// <summary>Records handed out per <see cref="IDynamoDBStreamShardReader.ReadAsync"/> call.</summary>
    public int BatchSize { get; }

    /// <summary>Adds a shard, the child of <paramref name="parentShardId"/> when given (which must exist).</summary>
    public void AddShard(string shardId, string? parentShardId = null)
    {
        if (parentShardId is not null && _shards.All(s => s.Shard.ShardId != parentShardId))
        {
            throw new ArgumentException($"no shard {parentShardId}", nameof(parentShardId));
        }

        _shards.Add((new DynamoDBStreamShard(shardId, parentShardId, null, null), []));
    }

    /// <summary>Appends a change record to a shard (created on first use) and returns its sequence number.</summary>
    public string Put(string shardId, string eventName, IReadOnlyDictionary<string, object?> keys,
        IReadOnlyDictionary<string, object?>? newImage, IReadOnlyDictionary<string, object?>? oldImage = null)
    {
        if (_shards.All(s => s.Shard.ShardId != shardId))
        {
            AddShard(shardId);
        }

        var sequenceNumber = (_nextSequenceNumber++).ToString(CultureInfo.InvariantCulture);
        _shards.Single(s => s.Shard.ShardId == shardId).Records.Add(new DynamoDBStreamRecord(Guid.NewGuid().ToString("N"), eventName,
            null, null, sequenceNumber, null, StreamViewType, DateTimeOffset.UnixEpoch, keys, oldImage, newImage));
        return sequenceNumber;
    }

    public string Describe() => StreamArn;

    public Task<DynamoDBStreamDescription> DescribeAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new DynamoDBStreamDescription(StreamArn, "ENABLED", StreamViewType, null, _shards.Select(s => s.Shard).ToList()));

    public IDynamoDBStreamShardReader OpenShard(string shardId, string? afterSequenceNumber = null)
    {
        var records = _shards.FirstOrDefault(s => s.Shard.ShardId == shardId).Records ?? [];
        return new ShardReader(records, afterSequenceNumber, BatchSize);
    }

    private sealed class ShardReader(List<DynamoDBStreamRecord> records, string? afterSequenceNumber, int batchSize)
        : InMemoryShardReader<DynamoDBStreamRecord>(records, StartAfter(records, afterSequenceNumber, r => r.SequenceNumber), batchSize), IDynamoDBStreamShardReader;
}

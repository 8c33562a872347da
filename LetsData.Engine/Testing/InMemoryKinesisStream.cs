using System.Globalization;
using System.Text;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Testing;

/// <summary>
/// A Kinesis stream in memory for the test harness: shards of records with increasing sequence numbers. The engine
/// reads it through the same <see cref="IKinesisRecordSource"/> interface as a real stream; a shard reader stops when
/// it has handed out every record (a caught-up stream).
/// </summary>
public sealed class InMemoryKinesisStream : IKinesisRecordSource
{
    private readonly SortedDictionary<string, List<KinesisRecord>> _shards = new(StringComparer.Ordinal);
    private long _nextSequenceNumber = 49_000_000_000_000_000L;

    public InMemoryKinesisStream(string streamName = "test-stream", int batchSize = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        StreamArn = $"arn:aws:kinesis:us-east-1:000000000000:stream/{streamName}";
        BatchSize = batchSize;
    }

    public string StreamArn { get; }

    /// <summary>Records handed out per <see cref="IKinesisShardReader.ReadAsync"/> call.</summary>
    public int BatchSize { get; }

    /// <summary>Appends a record to a shard (created on first use) and returns its sequence number.</summary>
    public string Put(string shardId, string partitionKey, ReadOnlyMemory<byte> data, DateTimeOffset? arrival = null)
    {
        if (!_shards.TryGetValue(shardId, out var records))
        {
            _shards[shardId] = records = [];
        }

        var sequenceNumber = (_nextSequenceNumber++).ToString(CultureInfo.InvariantCulture);
        records.Add(new KinesisRecord(partitionKey, sequenceNumber, arrival ?? DateTimeOffset.UnixEpoch, data.ToArray()));
        return sequenceNumber;
    }

    /// <summary>Appends a UTF-8 text record.</summary>
    public string Put(string shardId, string partitionKey, string text) => Put(shardId, partitionKey, Encoding.UTF8.GetBytes(text));

    public string Describe() => StreamArn;

    public Task<KinesisStreamShards> ListShardsAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new KinesisStreamShards(StreamArn, _shards.Keys.ToList()));

    public IKinesisShardReader OpenShard(string shardId, string? afterSequenceNumber = null)
    {
        var records = _shards.TryGetValue(shardId, out var list) ? list : [];
        return new ShardReader(records, afterSequenceNumber, BatchSize);
    }

    private sealed class ShardReader(List<KinesisRecord> records, string? afterSequenceNumber, int batchSize)
        : InMemoryShardReader<KinesisRecord>(records, StartAfter(records, afterSequenceNumber, r => r.SequenceNumber), batchSize), IKinesisShardReader;
}

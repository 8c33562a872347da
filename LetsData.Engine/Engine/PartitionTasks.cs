using System.Globalization;
using LetsData.Runtime.Reading.DynamoDB;
using LetsData.Runtime.Reading.DynamoDBStreams;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Engine;

/// <summary>
/// The tasks of stream, table and queue readers: one per Kinesis or DynamoDB stream shard, one per scan segment, N
/// sharing a queue.
/// </summary>
public static class PartitionTasks
{
    public static async Task<IReadOnlyList<DataTaskDefinition>> ForKinesisAsync(IKinesisRecordSource source,
        CancellationToken cancellationToken)
    {
        var shards = await source.ListShardsAsync(cancellationToken).ConfigureAwait(false);
        return shards.ShardIds.Select((shardId, i) => new DataTaskDefinition(shardId, i + 1, $"{shards.StreamArn} {shardId}", [])
        {
            Partition = new SourcePartition(SourcePartitionKind.KinesisShard, shards.StreamArn, shardId),
        }).ToList();
    }

    public static IReadOnlyList<DataTaskDefinition> ForDynamoDBTable(IDynamoDBTableSource source) =>
        Enumerable.Range(0, source.TotalSegments).Select(segment =>
        {
            var id = segment.ToString(CultureInfo.InvariantCulture);
            return new DataTaskDefinition($"segment-{segment:D4}", segment + 1, $"{source.TableName} segment {id}", [])
            {
                Partition = new SourcePartition(SourcePartitionKind.ScanSegment, source.TableName, id),
            };
        }).ToList();

    /// <summary>
    /// One task per shard of a DynamoDB stream, parents before children, each child task <see cref="DataTaskDefinition.After"/>
    /// its parent's (when the parent is still listed: a trimmed parent's records are gone anyway).
    /// </summary>
    public static async Task<IReadOnlyList<DataTaskDefinition>> ForDynamoDBStreamAsync(IDynamoDBStreamSource source,
        CancellationToken cancellationToken)
    {
        var stream = await source.DescribeAsync(cancellationToken).ConfigureAwait(false);
        var listed = stream.Shards.Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
        var ordered = new List<DynamoDBStreamShard>(stream.Shards.Count);
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var pending = stream.Shards.ToList();
        while (pending.Count > 0)
        {
            // A shard goes once its parent is placed; a cycle (a broken listing) cannot hold the rest back.
            var ready = pending.Where(s => s.ParentShardId is not { } parent || !listed.Contains(parent) || placed.Contains(parent)).ToList();
            if (ready.Count == 0)
            {
                ready = [pending[0]];
            }

            foreach (var shard in ready)
            {
                ordered.Add(shard);
                placed.Add(shard.ShardId);
                pending.Remove(shard);
            }
        }

        return ordered.Select((shard, i) => new DataTaskDefinition(shard.ShardId, i + 1, $"{stream.StreamArn} {shard.ShardId}", [])
        {
            Partition = new SourcePartition(SourcePartitionKind.DynamoDBStreamShard, stream.StreamArn, shard.ShardId),
            After = shard.ParentShardId is { } parent && listed.Contains(parent) ? [parent] : [],
        }).ToList();
    }

    /// <summary>
    /// <paramref name="count"/> tasks reading <paramref name="queueName"/> together. A task's id and line do not depend
    /// on the count, so a later run with another concurrency keeps the tasks it shares with this one.
    /// </summary>
    public static IReadOnlyList<DataTaskDefinition> ForQueue(string queueName, int count) =>
        Enumerable.Range(1, count).Select(i =>
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            return new DataTaskDefinition($"queue-{i:D4}", i, $"{queueName} reader {id}", [])
            {
                Partition = new SourcePartition(SourcePartitionKind.QueueReader, queueName, id),
            };
        }).ToList();
}

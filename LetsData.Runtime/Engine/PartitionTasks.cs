using System.Globalization;
using LetsData.Runtime.Reading.DynamoDB;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Engine;

/// <summary>The tasks of stream, table and queue readers: one per Kinesis shard, one per scan segment, N sharing a queue.</summary>
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

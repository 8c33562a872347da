namespace LetsData.Runtime.Engine;

/// <summary>One file named by a manifest line; <see cref="FileType"/> is null on single-type lines.</summary>
public sealed record ManifestFileRef(string? FileType, string FileName);

/// <summary>
/// One unit of work: a manifest line, or a stream shard / table scan segment. Its id is stable for a given manifest
/// (the line's position), shard (the shard id) or scan (the segment number).
/// </summary>
public sealed record DataTaskDefinition(string TaskId, int LineNumber, string ManifestLine, IReadOnlyList<ManifestFileRef> Files)
{
    /// <summary>For stream and table tasks: the shard or segment the task reads; null for file tasks.</summary>
    public SourcePartition? Partition { get; init; }

    /// <summary>
    /// Tasks that must have COMPLETED before this one starts (a DynamoDB stream shard's parent: its records come
    /// first); empty for most tasks. The ledgers hand such a task out only once they are.
    /// </summary>
    public IReadOnlyList<string> After { get; init; } = [];
}

/// <summary>A Kinesis or DynamoDB stream shard (<see cref="Source"/> = stream ARN, <see cref="Id"/> = shard id) or a scan segment (table, segment number).</summary>
public sealed record SourcePartition(SourcePartitionKind Kind, string Source, string Id);

public enum SourcePartitionKind
{
    KinesisShard,
    ScanSegment,
    DynamoDBStreamShard,

    /// <summary>One of the tasks sharing a queue (<see cref="SourcePartition.Source"/> = queue name, <see cref="SourcePartition.Id"/> = its number).</summary>
    QueueReader,
}

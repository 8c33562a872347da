namespace LetsData.Runtime.State;

/// <summary>
/// What a task reads: the reader type and either its files (file type → file name; <c>"file"</c> for single-type
/// manifest lines) or the stream shard / scan segment it reads.
/// </summary>
/// <param name="ReaderType">The dataset's reader type, by its display name.</param>
/// <param name="Files">File type → file name; empty for stream and table tasks.</param>
/// <param name="Partition">The shard or scan segment; null for file tasks.</param>
/// <param name="ManifestLine">The manifest line (or the shard / segment description) the task came from.</param>
public sealed record TaskReaderDefinition(
    string ReaderType,
    IReadOnlyDictionary<string, string> Files,
    TaskPartition? Partition,
    string ManifestLine)
{
    /// <summary>Value equality (records compare dictionaries by reference).</summary>
    public bool SameAs(TaskReaderDefinition other) =>
        ReaderType == other.ReaderType && ManifestLine == other.ManifestLine && Partition == other.Partition
        && Files.Count == other.Files.Count
        && Files.All(f => other.Files.TryGetValue(f.Key, out var name) && name == f.Value);

    /// <summary>A short form for tables and messages: the files, or the shard / segment.</summary>
    public string Describe() =>
        Partition is { } partition ? $"{partition.Kind} {partition.Id}"
        : string.Join(" | ", Files.Select(f => f.Key == "file" ? f.Value : $"{f.Key}:{f.Value}"));
}

/// <summary>A Kinesis shard (<see cref="Source"/> = stream ARN) or a table scan segment (<see cref="Source"/> = table).</summary>
/// <param name="Kind"><c>KinesisShard</c> or <c>ScanSegment</c>.</param>
/// <param name="Source">The stream ARN or table name.</param>
/// <param name="Id">The shard id or segment number.</param>
public sealed record TaskPartition(string Kind, string Source, string Id);

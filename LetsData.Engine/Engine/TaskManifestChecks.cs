namespace LetsData.Runtime.Engine;

/// <summary>
/// What a reader type needs of its task's manifest line or partition, checked when the task starts: the reader's file
/// types are known only once the plugin says them.
/// </summary>
internal static class TaskManifestChecks
{
    /// <summary>The task's file names by type (or its stream/table partition), for the task context; never throws.</summary>
    public static IReadOnlyDictionary<string, string> FileNamesOf(DataTaskDefinition task)
    {
        if (task.Partition is { } partition)
        {
            return partition.Kind switch
            {
                SourcePartitionKind.ScanSegment => new Dictionary<string, string> { ["table"] = partition.Source, ["segment"] = partition.Id },
                SourcePartitionKind.QueueReader => new Dictionary<string, string> { ["queue"] = partition.Source, ["reader"] = partition.Id },
                _ => new Dictionary<string, string> { ["stream"] = partition.Source, ["shard"] = partition.Id },
            };
        }

        // Built before the task's try block: a type named twice must not throw here (the task fails on it later).
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in task.Files)
        {
            names.TryAdd(file.FileType ?? "file", file.FileName);
        }

        return names;
    }

    /// <summary>The one file of a single-file reader's task, which must be of <paramref name="fileType"/> when typed.</summary>
    public static ManifestFileRef SingleFileOf(DataTaskDefinition task, string fileType)
    {
        if (task.Files.Count != 1)
        {
            throw new InvalidOperationException(
                $"manifest line {task.LineNumber} names {task.Files.Count} files; this reader type reads one file per task");
        }

        var file = task.Files[0];
        if (file.FileType is not null && !string.Equals(file.FileType, fileType, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"manifest line {task.LineNumber} names file type {file.FileType}, but the parser reads {fileType}");
        }

        return file;
    }

    /// <summary>One file per type the reader reads, each type exactly once.</summary>
    public static Dictionary<string, string> MultipleFilesOf(DataTaskDefinition task, IReadOnlySet<string> fileTypes)
    {
        var byType = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in task.Files)
        {
            var type = fileTypes.FirstOrDefault(t => string.Equals(t, file.FileType, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException(
                    $"manifest line {task.LineNumber} names file type '{file.FileType}', which the reader does not read (it reads {string.Join(", ", fileTypes)})");
            if (!byType.TryAdd(type, file.FileName))
            {
                throw new InvalidOperationException($"manifest line {task.LineNumber} names file type {type} twice");
            }
        }

        var missing = fileTypes.Where(t => !byType.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"manifest line {task.LineNumber} has no file for type(s) {string.Join(", ", missing)}; expected TYPE:name|TYPE:name for {string.Join(", ", fileTypes)}");
        }

        return byType;
    }

    /// <summary>The shard or scan segment of a stream or table task.</summary>
    public static SourcePartition PartitionOf(DataTaskDefinition task, SourcePartitionKind kind) =>
        task.Partition is { } partition && partition.Kind == kind
            ? partition
            : throw new InvalidOperationException($"task {task.TaskId} is not a {kind} task; the reader type reads one {kind} per task");
}

namespace LetsData.Runtime.Engine;

/// <summary>What sinks and error records need to know about the task they serve.</summary>
public sealed record TaskContext(string DatasetName, string TaskId, IReadOnlyDictionary<string, string> FileNames)
{
    /// <summary>
    /// The name the task's output files and objects carry (see <c>TaskOutputName</c>): the task id and its input file's
    /// stem; the task id alone for stream, table and queue tasks.
    /// </summary>
    public string OutputName { get; init; } = TaskId;

    /// <summary>
    /// Set when the task resumes from a checkpoint: the writers continue the earlier attempt's output from the
    /// positions they gave at that checkpoint (everything after them is replaced). Null: a fresh start.
    /// </summary>
    public OutputResume? Resume { get; init; }
}

/// <summary>The write and error destinations' positions of a checkpoint (see <c>IDocumentSink.TryCheckpoint</c>).</summary>
public sealed record OutputResume(string? Documents, string? Errors);

/// <summary>A writer cannot continue an earlier attempt's output (it was removed or changed); the task starts over.</summary>
public sealed class OutputResumeException(string message) : IOException(message);

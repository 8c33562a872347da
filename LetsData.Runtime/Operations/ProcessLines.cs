namespace LetsData.Runtime.Operations;

/// <summary>
/// Relays a data-task process's standard error (its log) to the worker's: each line prefixed with the task the
/// process runs, or ran last, and appended to that task's log file. A process runs one task at a time, so the task it
/// holds names every line it writes, plugin output and crash words included.
/// </summary>
/// <param name="taskLogs">The task log files; null: none are written.</param>
/// <param name="workerLog">Where the worker's own log goes (null: its standard error).</param>
internal sealed class ProcessLines(TaskLogFiles? taskLogs, TextWriter? workerLog = null)
{
    /// <summary>The task the process holds, or held last (set when the supervisor hands it a task).</summary>
    public volatile string? TaskId;

    /// <summary>Where each task's lines are kept; given later to a process started before the dataset was read.</summary>
    public TaskLogFiles? TaskLogs { get; set; } = taskLogs;

    public void Relay(string line)
    {
        if (TaskId is not { } taskId)
        {
            (workerLog ?? Console.Error).WriteLine(line);
            return;
        }

        (workerLog ?? Console.Error).WriteLine($"[{taskId}] {line}");
        TaskLogs?.Append(taskId, line);
    }
}

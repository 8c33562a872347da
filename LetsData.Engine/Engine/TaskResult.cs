using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Engine;

public enum DataTaskStatus
{
    Completed,
    Errored,

    /// <summary>Stopped at a checkpoint before its end (time box); the next run continues it.</summary>
    Rerun,
}

/// <summary>How one task ended. <see cref="ErrorMessage"/> names the plugin call, file and offset for errored tasks.</summary>
public sealed record TaskResult(string TaskId, DataTaskStatus Status, string? ErrorMessage, TaskCounters Counters, TimeSpan Elapsed)
{
    /// <summary>The task's last checkpoint (saved by this attempt, or the one it resumed from); null when it has none.</summary>
    public TaskCheckpoint? Checkpoint { get; init; }

    /// <summary>Checkpoints this attempt saved.</summary>
    public int CheckpointsSaved { get; init; }

    /// <summary>Set when the task had a checkpoint but started over from the beginning, and why (its output could not be continued).</summary>
    public string? RestartedBecause { get; init; }

    /// <summary>Set when another worker took the task over during this attempt: its outcome is that worker's to record.</summary>
    public bool OwnershipLost { get; init; }

    /// <summary>
    /// When a plugin call threw: the exception with its stack trace (<see cref="Exception.ToString"/>), for the plugin's
    /// author; <see cref="ErrorMessage"/> keeps the one line that names the call, file and offset.
    /// </summary>
    public string? PluginException { get; init; }

    /// <summary>
    /// What the task's files said about themselves that did not fail it: a file that shrank while it was read, a file
    /// that held no record. Each names the file; shown in the run's summary and kept in the task's record.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

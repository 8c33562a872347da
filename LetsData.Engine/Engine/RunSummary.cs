namespace LetsData.Runtime.Engine;

/// <summary>The outcome of running a set of tasks.</summary>
public sealed record RunSummary(string DatasetName, IReadOnlyList<TaskResult> Tasks, TimeSpan Elapsed)
{
    public int Completed => Tasks.Count(t => t.Status == DataTaskStatus.Completed);
    public int Errored => Tasks.Count(t => t.Status == DataTaskStatus.Errored);

    /// <summary>Tasks stopped at a checkpoint before their end (time box, stop request): the next run continues them.</summary>
    public int Rerun => Tasks.Count(t => t.Status == DataTaskStatus.Rerun);

    /// <summary>Checkpoints saved by all tasks of the run.</summary>
    public int CheckpointsSaved => Tasks.Sum(t => t.CheckpointsSaved);
    public long Records => Tasks.Sum(t => t.Counters.Records);
    public long Documents => Tasks.Sum(t => t.Counters.Documents);
    public long Errors => Tasks.Sum(t => t.Counters.Errors);
    public long Skips => Tasks.Sum(t => t.Counters.Skips);
    public long BytesScanned => Tasks.Sum(t => t.Counters.BytesScanned);
    public long BytesRead => Tasks.Sum(t => t.Counters.BytesRead);

    /// <summary>Threads abandoned in a plugin call that timed out (still running somewhere in the process).</summary>
    public int LeakedThreads { get; init; }

    /// <summary>Set when the run stopped taking tasks because <see cref="LeakedThreads"/> reached the limit.</summary>
    public string? StoppedBecause { get; init; }
}

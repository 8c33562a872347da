namespace LetsData.Runtime.Engine;

public enum DataTaskStatus
{
    Completed,
    Errored,
}

/// <summary>How one task ended. <see cref="ErrorMessage"/> names the plugin call, file and offset for errored tasks.</summary>
public sealed record TaskResult(string TaskId, DataTaskStatus Status, string? ErrorMessage, TaskCounters Counters, TimeSpan Elapsed);

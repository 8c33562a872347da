using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Observability;

/// <summary>One task's totals in a run, as the metrics report them; updated from several threads.</summary>
internal sealed class TaskTally
{
    /// <summary>Its live counts, kept the way the run's are (from the heartbeats of its data-task process).</summary>
    public RunProgress Live { get; } = new();

    public long BytesRead;
    public long Checkpoints;

    public void Ended(TaskCounters counters) => Interlocked.Add(ref BytesRead, counters.BytesRead);
}

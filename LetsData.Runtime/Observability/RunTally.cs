using System.Collections.Concurrent;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Measures;

namespace LetsData.Runtime.Observability;

/// <summary>
/// What a run did, per task, for the metrics: progress as the data-task processes report it (their heartbeats),
/// checkpoints and outcomes as the ledger records them. Read by the observable instruments of <see cref="RunInstruments"/>.
/// </summary>
internal sealed class RunTally
{
    private readonly ConcurrentDictionary<string, TaskTally> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<DataTaskStatus, long> _outcomes = new();

    public IEnumerable<KeyValuePair<string, TaskTally>> Tasks => _tasks;

    public IEnumerable<KeyValuePair<DataTaskStatus, long>> Outcomes => _outcomes;

    /// <summary>The data-task processes' measures (plugin calls, checkpoints, sink batches), added up from their heartbeats.</summary>
    public MeasuresTotals Measures { get; } = new();

    public TaskTally Of(string taskId) => _tasks.GetOrAdd(taskId, _ => new TaskTally());

    /// <summary>A task's live counts; null before its data-task process reported any.</summary>
    public RunProgress? LiveOf(string taskId) => _tasks.TryGetValue(taskId, out var task) ? task.Live : null;

    public void CheckpointSaved(string taskId) => Interlocked.Increment(ref Of(taskId).Checkpoints);

    public void TaskEnded(TaskResult result)
    {
        Of(result.TaskId).Ended(result.Counters);
        _outcomes.AddOrUpdate(result.Status, 1, (_, n) => n + 1);
    }
}

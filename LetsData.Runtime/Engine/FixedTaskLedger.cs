using System.Collections.Concurrent;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Engine;

/// <summary>
/// A fixed list of tasks, each run once, state kept in memory: the ledger of the test harness, the benchmarks and the
/// smoke run. Checkpoints are kept (the last one per task), so that tests can resume a task in the same engine.
/// </summary>
public sealed class FixedTaskLedger(IReadOnlyList<DataTaskDefinition> tasks, IReadOnlyDictionary<string, TaskCheckpoint>? resumeFrom = null)
    : ITaskLedger
{
    private readonly ConcurrentQueue<DataTaskDefinition> _queue = new(tasks);
    private readonly ConcurrentDictionary<string, TaskCheckpoint> _checkpoints = new(StringComparer.Ordinal);
    private int _saved;

    public int ExpectedTasks => tasks.Count;

    /// <summary>The last checkpoint of each task that took one.</summary>
    public IReadOnlyDictionary<string, TaskCheckpoint> Checkpoints => _checkpoints;

    /// <summary>Checkpoints saved so far, all tasks together.</summary>
    public int CheckpointsSaved => Volatile.Read(ref _saved);

    public TaskAssignment? TakeNext(CancellationToken cancellationToken) =>
        _queue.TryDequeue(out var task) ? new TaskAssignment(task, resumeFrom?.GetValueOrDefault(task.TaskId)) : null;

    public void SaveCheckpoint(TaskAssignment assignment, TaskCheckpoint checkpoint)
    {
        _checkpoints[assignment.Task.TaskId] = checkpoint;
        Interlocked.Increment(ref _saved);
    }

    public void ConfirmOwnership(TaskAssignment assignment)
    {
    }

    public void End(TaskAssignment assignment, TaskResult result)
    {
    }
}

using System.Collections.Concurrent;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Engine;

/// <summary>
/// A fixed list of tasks, each run once, state kept in memory: the ledger of the test harness, the benchmarks and the
/// smoke run. Every checkpoint is kept in order, so that tests can resume a task from any of them in the same engine.
/// </summary>
public sealed class FixedTaskLedger(IReadOnlyList<DataTaskDefinition> tasks, IReadOnlyDictionary<string, TaskCheckpoint>? resumeFrom = null)
    : ITaskLedger
{
    private readonly ConcurrentQueue<DataTaskDefinition> _queue = new(tasks);
    private readonly ConcurrentDictionary<string, List<TaskCheckpoint>> _saved = new(StringComparer.Ordinal);

    public int ExpectedTasks => tasks.Count;

    /// <summary>The last checkpoint of each task that took one.</summary>
    public IReadOnlyDictionary<string, TaskCheckpoint> Checkpoints => _saved.ToDictionary(t => t.Key, t => t.Value[^1], StringComparer.Ordinal);

    /// <summary>Every checkpoint <paramref name="taskId"/> saved, in order (a task saves one at a time).</summary>
    public IReadOnlyList<TaskCheckpoint> CheckpointsOf(string taskId) => _saved.TryGetValue(taskId, out var saved) ? saved : [];

    public TaskAssignment? TakeNext(CancellationToken cancellationToken) =>
        _queue.TryDequeue(out var task) ? new TaskAssignment(task, resumeFrom?.GetValueOrDefault(task.TaskId)) : null;

    public void SaveCheckpoint(TaskAssignment assignment, TaskCheckpoint checkpoint) =>
        _saved.GetOrAdd(assignment.Task.TaskId, _ => []).Add(checkpoint);

    /// <summary>Nothing to forget: a task of this ledger runs once, and the checkpoints it keeps are only for tests to read.</summary>
    public void DropCheckpoint(TaskAssignment assignment)
    {
    }

    public void ConfirmOwnership(TaskAssignment assignment)
    {
    }

    public void End(TaskAssignment assignment, TaskResult result)
    {
    }
}

using System.Collections.Concurrent;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Engine;

/// <summary>
/// A fixed list of tasks, each run once, state kept in memory: the ledger of the test harness, the benchmarks and the
/// smoke run. Every checkpoint is kept in order, so that tests can resume a task from any of them in the same engine.
/// A task with <see cref="DataTaskDefinition.After"/> is handed out once those tasks completed (a thread asking for
/// the next task waits while they run); when one of them ends otherwise, the task is not run. Prerequisites that are
/// not in the list do not count.
/// </summary>
public sealed class FixedTaskLedger(IReadOnlyList<DataTaskDefinition> tasks, IReadOnlyDictionary<string, TaskCheckpoint>? resumeFrom = null)
    : ITaskLedger
{
    private readonly List<DataTaskDefinition> _queue = [.. tasks];
    private readonly HashSet<string> _listed = tasks.Select(t => t.TaskId).ToHashSet(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly HashSet<string> _completed = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private readonly ConcurrentDictionary<string, List<TaskCheckpoint>> _saved = new(StringComparer.Ordinal);

    public int ExpectedTasks => tasks.Count;

    /// <summary>The last checkpoint of each task that took one.</summary>
    public IReadOnlyDictionary<string, TaskCheckpoint> Checkpoints => _saved.ToDictionary(t => t.Key, t => t.Value[^1], StringComparer.Ordinal);

    /// <summary>Every checkpoint <paramref name="taskId"/> saved, in order (a task saves one at a time).</summary>
    public IReadOnlyList<TaskCheckpoint> CheckpointsOf(string taskId) => _saved.TryGetValue(taskId, out var saved) ? saved : [];

    public TaskAssignment? TakeNext(CancellationToken cancellationToken)
    {
        using var wake = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        });
        lock (_gate)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var waiting = false;
                for (var i = 0; i < _queue.Count; i++)
                {
                    var task = _queue[i];
                    // A prerequisite this ledger does not run (a single task resumed in a test) does not hold it back.
                    if (task.After.All(id => _completed.Contains(id) || !_listed.Contains(id)))
                    {
                        _queue.RemoveAt(i);
                        _running.Add(task.TaskId);
                        return new TaskAssignment(task, resumeFrom?.GetValueOrDefault(task.TaskId));
                    }

                    // Its prerequisites still run, or wait in the queue behind ones that run: it may become ready.
                    waiting |= _running.Count > 0;
                }

                if (!waiting)
                {
                    // Nothing left, or only tasks whose prerequisites ended without completing.
                    return null;
                }

                Monitor.Wait(_gate);
            }
        }
    }

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
        lock (_gate)
        {
            _running.Remove(result.TaskId);
            if (result.Status == DataTaskStatus.Completed)
            {
                _completed.Add(result.TaskId);
            }

            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>A task that ended without a recorded outcome (taken over elsewhere) no longer runs here.</summary>
    public void Lost(TaskAssignment assignment, TaskResult result) => End(assignment, result with { Status = DataTaskStatus.Errored });
}

using System.Collections.Concurrent;
using LetsData.Runtime.DataTasks.Control;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.DataTasks;

/// <summary>
/// The data-task process's ledger: every call is a request to the supervisor, which holds the task store, the claims
/// and the leases. The engine calls it from task threads and blocks until the supervisor answers, exactly as it blocks
/// on a store write in a single-process run.
/// </summary>
/// <param name="channel">The control channel to the supervisor.</param>
/// <param name="tasks">The tasks this process can run, by id.</param>
/// <param name="expectedTasks">The tasks of the run.</param>
/// <param name="beforeEnd">Called before a task's end is sent: the last progress goes out first, so that the supervisor
/// counts all of a task's progress for that task.</param>
internal sealed class RemoteTaskLedger(ControlChannel channel, IReadOnlyDictionary<string, DataTaskDefinition> tasks, int expectedTasks,
    Action? beforeEnd = null)
    : ITaskLedger
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<Reply>> _pending = new();
    private long _nextId;
    private volatile string? _closedBecause;

    public int ExpectedTasks => expectedTasks;

    /// <summary>Hands a reply from the supervisor to the request waiting for it.</summary>
    public void Deliver(Reply reply)
    {
        if (_pending.TryRemove(reply.Id, out var waiting))
        {
            waiting.TrySetResult(reply);
        }
    }

    /// <summary>The supervisor is gone: every waiting and later request fails.</summary>
    public void Close(string reason)
    {
        _closedBecause = reason;
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var waiting))
            {
                waiting.TrySetException(new IOException(reason));
            }
        }
    }

    public TaskAssignment? TakeNext(CancellationToken cancellationToken)
    {
        var reply = Request(new TakeNextTask(), cancellationToken);
        if (reply.TaskId is not { } taskId)
        {
            return null;
        }

        if (!tasks.TryGetValue(taskId, out var task))
        {
            throw new InvalidOperationException($"the supervisor handed out task {taskId}, which this process's manifest or stream does not have");
        }

        TaskCheckpoint? checkpoint = null;
        if (reply.Checkpoint is { } json)
        {
            checkpoint = TaskCheckpoint.FromJson(json, out var problem) ?? throw new InvalidOperationException($"{taskId}: {problem}");
        }

        return new TaskAssignment(task, checkpoint);
    }

    public void SaveCheckpoint(TaskAssignment assignment, TaskCheckpoint checkpoint) =>
        ThrowIfLost(Request(new SaveCheckpoint(assignment.Task.TaskId, checkpoint.ToJson()), CancellationToken.None));

    public void DropCheckpoint(TaskAssignment assignment) =>
        ThrowIfLost(Request(new DropCheckpoint(assignment.Task.TaskId), CancellationToken.None));

    public void ConfirmOwnership(TaskAssignment assignment) =>
        ThrowIfLost(Request(new ConfirmOwnership(assignment.Task.TaskId), CancellationToken.None));

    public void End(TaskAssignment assignment, TaskResult result)
    {
        beforeEnd?.Invoke();
        ThrowIfLost(Request(EndTask.From(result), CancellationToken.None));
    }

    public void Lost(TaskAssignment assignment, TaskResult result)
    {
        beforeEnd?.Invoke();
        Request(EndTask.From(result), CancellationToken.None);
    }

    private Reply Request(ControlMessage request, CancellationToken cancellationToken)
    {
        if (_closedBecause is { } reason)
        {
            throw new IOException(reason);
        }

        var id = Interlocked.Increment(ref _nextId);
        var waiting = new TaskCompletionSource<Reply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiting;
        channel.Send(request with { Id = id });
        try
        {
            var reply = waiting.Task.WaitAsync(cancellationToken).GetAwaiter().GetResult();
            return reply.Failure is { } failure ? throw new IOException(failure) : reply;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private static void ThrowIfLost(Reply reply)
    {
        if (reply.OwnershipLost is { } message)
        {
            throw new TaskOwnershipLostException(message);
        }
    }
}

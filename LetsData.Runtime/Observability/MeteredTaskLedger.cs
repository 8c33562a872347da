using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Observability;

/// <summary>
/// A ledger that counts what passes through it (checkpoints saved, tasks ended) into a <see cref="RunTally"/>: the same
/// place for a supervised run and an in-process one, and nothing added on the engine's per-record path.
/// </summary>
internal sealed class MeteredTaskLedger(ITaskLedger inner, RunTally tally) : ITaskLedger
{
    public int ExpectedTasks => inner.ExpectedTasks;

    public TaskAssignment? TakeNext(CancellationToken cancellationToken) => inner.TakeNext(cancellationToken);

    public void SaveCheckpoint(TaskAssignment assignment, TaskCheckpoint checkpoint)
    {
        inner.SaveCheckpoint(assignment, checkpoint);
        tally.CheckpointSaved(assignment.Task.TaskId);
    }

    public void DropCheckpoint(TaskAssignment assignment) => inner.DropCheckpoint(assignment);

    public void ConfirmOwnership(TaskAssignment assignment) => inner.ConfirmOwnership(assignment);

    public void End(TaskAssignment assignment, TaskResult result)
    {
        inner.End(assignment, result);
        tally.TaskEnded(result);
    }

    public void Lost(TaskAssignment assignment, TaskResult result) => inner.Lost(assignment, result);
}

using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Engine;

/// <summary>
/// The engine's view of task state: which task a worker thread runs next and where it resumes, where checkpoints go,
/// and where outcomes are recorded. A fixed list in memory for the test harness and benchmarks
/// (<see cref="FixedTaskLedger"/>); a shared task store with leases for the worker. Called from task threads.
/// </summary>
public interface ITaskLedger
{
    /// <summary>Tasks this run expects to run (for progress); may grow when tasks are taken over from other workers.</summary>
    int ExpectedTasks { get; }

    /// <summary>
    /// The next task for the calling thread, or null when none is left for this worker. May block (waiting for a task
    /// another worker holds to end or to be abandoned).
    /// </summary>
    TaskAssignment? TakeNext(CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="checkpoint"/> for the task; called only after its outputs were flushed. Also proves the
    /// worker still holds the task.
    /// </summary>
    /// <exception cref="TaskOwnershipLostException">Another worker took the task over: stop writing for it.</exception>
    void SaveCheckpoint(TaskAssignment assignment, TaskCheckpoint checkpoint);

    /// <summary>
    /// Forgets the task's checkpoint: called when the attempt could not continue the checkpoint's outputs and starts
    /// over, before it writes anything, so that no later attempt resumes from that checkpoint over this one's output.
    /// </summary>
    /// <exception cref="TaskOwnershipLostException">Another worker took the task over.</exception>
    void DropCheckpoint(TaskAssignment assignment);

    /// <summary>Called right before a task's output is made final: throws when the task is no longer this worker's.</summary>
    /// <exception cref="TaskOwnershipLostException">Another worker took the task over.</exception>
    void ConfirmOwnership(TaskAssignment assignment);

    /// <summary>Records how the task ended; a later attempt of an unfinished task resumes from <see cref="TaskResult.Checkpoint"/>.</summary>
    void End(TaskAssignment assignment, TaskResult result);

    /// <summary>
    /// The task ended because another worker took it over (<see cref="TaskResult.OwnershipLost"/>): nothing is recorded
    /// for it here. A data-task process's ledger tells its supervisor, which no longer counts the task as the process's.
    /// </summary>
    void Lost(TaskAssignment assignment, TaskResult result)
    {
    }
}

/// <summary>A task handed to a worker thread, with the checkpoint it resumes from (null: from the beginning).</summary>
public sealed record TaskAssignment(DataTaskDefinition Task, TaskCheckpoint? ResumeFrom);

/// <summary>The worker no longer holds the task (its lease expired and another worker claimed it).</summary>
public sealed class TaskOwnershipLostException(string message) : Exception(message);

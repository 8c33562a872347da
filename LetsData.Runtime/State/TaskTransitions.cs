using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.State;

/// <summary>
/// The status changes of a task record, as pure functions: each returns the record to write (with the version it was
/// read at, for the store's compare-and-set). Which changes are allowed from where lives here, not in a store.
/// </summary>
public static class TaskTransitions
{
    /// <summary>Statuses a worker may claim: never ran, failed, or stopped before its end.</summary>
    public static bool IsRunnable(TaskRecordStatus status) =>
        status is TaskRecordStatus.Created or TaskRecordStatus.Errored or TaskRecordStatus.Rerun;

    /// <summary>
    /// True when a worker may claim the task at first sight: it is runnable (or completed, when
    /// <paramref name="includeCompleted"/>), or PROCESSING without a lease or held by a local process that died. A task
    /// under a lease is free only once <see cref="TaskLeases"/> has watched that lease go unrenewed for a lease period.
    /// </summary>
    public static bool IsClaimableAtOnce(TaskRecord record, bool includeCompleted) =>
        IsRunnable(record.Status)
        || (includeCompleted && record.Status == TaskRecordStatus.Completed)
        || (record.Status == TaskRecordStatus.Processing
            && (record.LeaseExpiresAt is null || WorkerIdentity.IsDeadLocalWorker(record.WorkerId)));

    public static TaskRecord Claimed(TaskRecord record, string workerId, DateTimeOffset now, TimeSpan lease) => Extended(record, now, lease) with
    {
        Status = TaskRecordStatus.Processing,
        WorkerId = workerId,
        StartedAt = now,
        EndedAt = null,
    };

    public static TaskRecord Renewed(TaskRecord record, DateTimeOffset now, TimeSpan lease) => Extended(record, now, lease);

    /// <summary>A checkpoint saved by the holder: stored with the counts so far; the lease is extended too.</summary>
    public static TaskRecord Checkpointed(TaskRecord record, TaskCheckpoint checkpoint, DateTimeOffset now, TimeSpan lease) => Extended(record, now, lease) with
    {
        Checkpoint = checkpoint.ToJson(),
        Counters = record.Counters with
        {
            Records = checkpoint.Counters.Records,
            Documents = checkpoint.Counters.Documents,
            Errors = checkpoint.Counters.Errors,
            Skips = checkpoint.Counters.Skips,
        },
    };

    /// <summary>A checkpoint the attempt could not continue from, forgotten as it starts over (counts back to zero); the lease is extended too.</summary>
    public static TaskRecord CheckpointDropped(TaskRecord record, DateTimeOffset now, TimeSpan lease) => Extended(record, now, lease) with
    {
        Checkpoint = null,
        Counters = record.Counters with { Records = 0, Documents = 0, Errors = 0, Skips = 0 },
    };

    /// <summary>
    /// Every write of the holder that keeps the task counts as a renewal: the counter moves (what other workers watch)
    /// and the expiry by the holder's clock is pushed out (what people read).
    /// </summary>
    private static TaskRecord Extended(TaskRecord record, DateTimeOffset now, TimeSpan lease) => record with
    {
        LeaseExpiresAt = now + lease,
        LeaseCounter = record.LeaseCounter + 1,
    };

    /// <summary>
    /// The outcome of an attempt that resumed from <paramref name="resumedFrom"/> (null: from the beginning): COMPLETED
    /// (checkpoint dropped), ERRORED with the error parsed (checkpoint kept: a redrive resumes there), one more attempt
    /// either way; or RERUN, stopped at its last checkpoint (time box), to be continued.
    /// </summary>
    public static TaskRecord Ended(TaskRecord record, TaskResult result, TaskCheckpoint? resumedFrom, DateTimeOffset now)
    {
        var total = (resumedFrom?.Counters ?? CheckpointCounters.Zero).Plus(result.Counters);
        return record with
        {
            Status = result.Status switch
            {
                DataTaskStatus.Completed => TaskRecordStatus.Completed,
                DataTaskStatus.Rerun => TaskRecordStatus.Rerun,
                _ => TaskRecordStatus.Errored,
            },
            Attempts = result.Status == DataTaskStatus.Rerun ? record.Attempts : record.Attempts + 1,
            LastError = result.Status == DataTaskStatus.Errored ? TaskErrorParser.Parse(result.ErrorMessage ?? "errored") : record.LastError,
            Counters = new TaskRecordCounters(total.Records, total.Documents, total.Errors, total.Skips, result.Counters.BytesRead,
                result.Counters.BytesScanned),
            // An attempt that started over never falls back to the checkpoint it could not use (should dropping it have failed).
            Checkpoint = result.Status == DataTaskStatus.Completed ? null
                : result.RestartedBecause is not null ? result.Checkpoint?.ToJson()
                : result.Checkpoint?.ToJson() ?? record.Checkpoint,
            LeaseExpiresAt = null,
            EndedAt = now,
        };
    }

    /// <summary>A claimed task whose attempt has no outcome (the run stopped first): RERUN, free for the next run.</summary>
    public static TaskRecord Interrupted(TaskRecord record, DateTimeOffset now) => record with
    {
        Status = TaskRecordStatus.Rerun,
        LeaseExpiresAt = null,
        EndedAt = now,
    };

    /// <summary>ERRORED → CREATED for a redrive; attempts and the last error are kept.</summary>
    public static TaskRecord Redriven(TaskRecord record) => record.Status == TaskRecordStatus.Errored
        ? record with { Status = TaskRecordStatus.Created, LeaseExpiresAt = null, WorkerId = null }
        : throw new InvalidOperationException($"task {record.TaskId} is {record.Status.Name()}, not ERRORED");
}

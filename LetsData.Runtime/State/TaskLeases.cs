namespace LetsData.Runtime.State;

/// <summary>
/// Claims and renews tasks for one worker with conditional updates only, so it works the same over any
/// <see cref="ITaskStore"/>: two workers reading the same version cannot both win.
/// </summary>
public sealed class TaskLeases(ITaskStore store, string workerId, TimeSpan leaseDuration, TimeProvider time)
{
    public string WorkerId => workerId;
    public TimeSpan LeaseDuration => leaseDuration;

    /// <summary>
    /// Claims the task as read in <paramref name="seen"/>: PROCESSING, owned by this worker, leased until now + the
    /// lease duration. Null when it is not claimable or another writer changed it first.
    /// </summary>
    public async Task<TaskRecord?> TryClaimAsync(TaskRecord seen, bool includeCompleted, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        if (!TaskTransitions.IsClaimable(seen, now, includeCompleted))
        {
            return null;
        }

        try
        {
            return await store.UpdateAsync(TaskTransitions.Claimed(seen, workerId, now, leaseDuration), cancellationToken).ConfigureAwait(false);
        }
        catch (TaskConflictException)
        {
            return null;
        }
    }

    /// <summary>Extends this worker's lease; null when the task is no longer this worker's (changed by someone else).</summary>
    public async Task<TaskRecord?> TryRenewAsync(TaskRecord claimed, CancellationToken cancellationToken = default)
    {
        if (claimed.Status != TaskRecordStatus.Processing || claimed.WorkerId != workerId)
        {
            return null;
        }

        try
        {
            return await store.UpdateAsync(TaskTransitions.Renewed(claimed, time.GetUtcNow(), leaseDuration), cancellationToken).ConfigureAwait(false);
        }
        catch (TaskConflictException)
        {
            return null;
        }
    }
}

using System.Collections.Concurrent;

namespace LetsData.Runtime.State;

/// <summary>
/// Claims and renews tasks for one worker with conditional updates only, so it works the same over any
/// <see cref="ITaskStore"/>: two workers reading the same version cannot both win.
/// <para>
/// Whether another worker's lease has run out is judged without trusting any wall clock: the holder moves the task's
/// <see cref="TaskRecord.LeaseCounter"/> with every renewal, and this worker takes the task over only once it has seen
/// the same counter, holder and version for a whole lease duration by its own monotonic clock
/// (<see cref="TimeProvider.GetTimestamp"/>). A holder whose wall clock is hours off is never taken over while it
/// renews; what this needs is clocks that run at about the same rate, not clocks that agree. A claim made from a stale
/// read only fails: the store's version condition still decides who wins.
/// </para>
/// </summary>
public sealed class TaskLeases(ITaskStore store, string workerId, TimeSpan leaseDuration, TimeProvider time)
{
    /// <summary>Per task, the lease last seen on it and when (this worker's timestamp) it was first seen so.</summary>
    private readonly ConcurrentDictionary<string, LeaseSighting> _sightings = new(StringComparer.Ordinal);

    /// <summary>The worker (<c>host:pid</c>) these leases are claimed for.</summary>
    public string WorkerId => workerId;

    /// <summary>How long a claim or renewal holds a task, and how long another worker watches an unrenewed lease before taking it.</summary>
    public TimeSpan LeaseDuration => leaseDuration;

    /// <summary>
    /// Notes the lease <paramref name="seen"/> carries and says whether this worker may claim the task now: at once when
    /// <see cref="TaskTransitions.IsClaimableAtOnce"/> says so; under another worker's lease only when this worker has
    /// seen that lease (counter, holder and record version) unchanged for <see cref="LeaseDuration"/> by its own clock.
    /// A lease seen for the first time, by a worker that just started too, is never judged expired.
    /// </summary>
    public bool CanClaim(TaskRecord seen, bool includeCompleted)
    {
        var atOnce = TaskTransitions.IsClaimableAtOnce(seen, includeCompleted);
        if (atOnce || seen.Status != TaskRecordStatus.Processing)
        {
            // Not under a lease: whatever lease comes next is a new one, watched from when it is seen.
            _sightings.TryRemove(seen.TaskId, out _);
            return atOnce;
        }

        // The version is watched too: a holder of a release before the counter renews without moving it (its records
        // read as counter 0), and must not look stopped to this worker during a rolling upgrade.
        var lease = new LeaseSighting(seen.LeaseCounter, seen.WorkerId, seen.Version, time.GetTimestamp());
        var first = _sightings.AddOrUpdate(seen.TaskId, lease, (_, last) => last.SameLease(lease) ? last : lease);
        return time.GetElapsedTime(first.FirstSeenAt, lease.FirstSeenAt) >= leaseDuration;
    }

    /// <summary>
    /// Claims the task as read in <paramref name="seen"/>: PROCESSING, owned by this worker, its lease counter moved on
    /// (and leased until now + the lease duration by this worker's clock, for people to read). Null when it is not
    /// claimable (<see cref="CanClaim"/>) or another writer changed it first.
    /// </summary>
    public async Task<TaskRecord?> TryClaimAsync(TaskRecord seen, bool includeCompleted, CancellationToken cancellationToken = default)
    {
        if (!CanClaim(seen, includeCompleted))
        {
            return null;
        }

        try
        {
            return await store.UpdateAsync(TaskTransitions.Claimed(seen, workerId, time.GetUtcNow(), leaseDuration), cancellationToken).ConfigureAwait(false);
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

    private sealed record LeaseSighting(long Counter, string? Holder, long Version, long FirstSeenAt)
    {
        public bool SameLease(LeaseSighting other) => Counter == other.Counter && Holder == other.Holder && Version == other.Version;
    }
}

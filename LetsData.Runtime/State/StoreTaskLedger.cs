using System.Collections.Concurrent;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.State;

/// <summary>
/// The worker's <see cref="ITaskLedger"/> over a shared <see cref="ITaskStore"/>: registers the dataset's tasks, then
/// claims them one at a time as worker threads ask (a conditional write each, so several workers on one store never
/// run a task twice at once), keeps the leases of held tasks renewed, stores checkpoints, and records each outcome
/// when the task ends. Once its first pass over the manifest is done, a worker waits for tasks other workers hold
/// and takes over those whose lease it has seen go unrenewed for a lease period by its own clock (their checkpoint
/// included) — the way KCL workers share shards.
/// <para>
/// A worker tries each task at most once per run: an ERRORED outcome stands until the next run or a redrive.
/// </para>
/// <para>
/// A task with <see cref="DataTaskDefinition.After"/> (a DynamoDB stream shard's parent) is claimed only once the
/// store has those tasks COMPLETED: the first pass leaves it for the take-over pass, which claims it when they are
/// (by whichever worker) and stops waiting for it when one of them ERRORED.
/// </para>
/// </summary>
public sealed class StoreTaskLedger : ITaskLedger, IAsyncDisposable
{
    private readonly ITaskStore _store;
    private readonly TaskLeases _leases;
    private readonly TimeProvider _time;
    private readonly StoreTaskLedgerOptions _options;
    private readonly ConcurrentQueue<(DataTaskDefinition Task, TaskRecord Record)> _firstPass;
    private readonly Dictionary<string, DataTaskDefinition> _mine;
    private readonly HashSet<string> _attempted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _deferred = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskRecord> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _warnings = new();
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly Lock _taking = new();
    private readonly CancellationTokenSource _stopRenewing = new();
    private Task _renewing = Task.CompletedTask;

    // Stopped by disposing it (its wait then returns false): the end of a run throws no exception.
    private readonly PeriodicTimer _renewTimer;
    private int _expected;
    private readonly int _skippedCompleted;
    private long _leaseRenewals;
    private long _takeOvers;

    private StoreTaskLedger(ITaskStore store, TaskLeases leases, TimeProvider time, StoreTaskLedgerOptions options,
        List<(DataTaskDefinition Task, TaskRecord Record)> mine, int skippedCompleted, IReadOnlyList<TaskRecord> heldElsewhere)
    {
        _store = store;
        _leases = leases;
        _time = time;
        _options = options;
        _firstPass = new ConcurrentQueue<(DataTaskDefinition, TaskRecord)>(mine);
        _mine = mine.ToDictionary(m => m.Task.TaskId, m => m.Task, StringComparer.Ordinal);
        _skippedCompleted = skippedCompleted;
        _expected = mine.Count - skippedCompleted;
        HeldElsewhere = heldElsewhere;
        _renewTimer = new PeriodicTimer(leases.LeaseDuration / 3, time);
    }

    /// <summary>Leases this worker extended on its renewal timer (for metrics).</summary>
    public long LeaseRenewals => Interlocked.Read(ref _leaseRenewals);

    /// <summary>Tasks this worker claimed from another worker that left them unfinished (for metrics).</summary>
    public long TakeOvers => Interlocked.Read(ref _takeOvers);

    /// <summary>Where the records are.</summary>
    public string Location => _store.Location;

    /// <summary>This worker's id.</summary>
    public string WorkerId => _leases.WorkerId;

    /// <summary>Tasks of this worker's share (all tasks, or its static shard).</summary>
    public int TasksInShare => _mine.Count;

    /// <inheritdoc />
    public int ExpectedTasks => Volatile.Read(ref _expected);

    /// <summary>COMPLETED tasks left out.</summary>
    public int SkippedCompleted => _skippedCompleted;

    /// <summary>Tasks another worker held when the run started (PROCESSING under its lease, not known dead).</summary>
    public IReadOnlyList<TaskRecord> HeldElsewhere { get; }

    /// <summary>Leases lost and outcomes not recorded during the run; for the log.</summary>
    public IReadOnlyCollection<string> Warnings => _warnings;

    /// <summary>Registers <paramref name="tasks"/> (the whole manifest: every worker registers the same) and prepares this worker's share.</summary>
    /// <exception cref="TaskStoreException">The store is unusable or holds another dataset's tasks.</exception>
    public static async Task<StoreTaskLedger> OpenAsync(ITaskStore store, TaskLeases leases, string datasetName, string readerType,
        IReadOnlyList<DataTaskDefinition> tasks, StoreTaskLedgerOptions options, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var records = await TaskRegistry.RegisterAsync(store, datasetName, readerType, tasks, time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        var mine = new List<(DataTaskDefinition, TaskRecord)>();
        var skipped = 0;
        var heldElsewhere = new List<TaskRecord>();
        for (var i = 0; i < tasks.Count; i++)
        {
            if (options.Shard is { } shard && !shard.Owns(tasks[i].TaskId))
            {
                continue;
            }

            mine.Add((tasks[i], records[i]));
            if (records[i].Status == TaskRecordStatus.Completed && !options.RerunCompleted)
            {
                skipped++;
            }
            // This first look starts the watch on the leases of tasks other workers hold.
            else if (!leases.CanClaim(records[i], options.RerunCompleted))
            {
                heldElsewhere.Add(records[i]);
            }
        }

        var ledger = new StoreTaskLedger(store, leases, time, options, mine, skipped, heldElsewhere);
        ledger._renewing = ledger.RenewUntilStoppedAsync();
        return ledger;
    }

    /// <inheritdoc />
    public TaskAssignment? TakeNext(CancellationToken cancellationToken) =>
        TakeNextAsync(cancellationToken).GetAwaiter().GetResult();

    private async Task<TaskAssignment?> TakeNextAsync(CancellationToken cancellationToken)
    {
        while (_firstPass.TryDequeue(out var next))
        {
            if (next.Record.Status == TaskRecordStatus.Completed && !_options.RerunCompleted)
            {
                continue;
            }

            if (next.Task.After.Count > 0 && !await PrerequisitesCompletedAsync(next.Task, cancellationToken).ConfigureAwait(false))
            {
                // Counted in the share already: the take-over pass claims it once its prerequisites completed.
                _deferred[next.Task.TaskId] = 0;
                continue;
            }

            if (await TryClaimAsync(next.Task, next.Record, cancellationToken).ConfigureAwait(false) is { } claimed)
            {
                return claimed;
            }
        }

        // The manifest is done: tasks other workers hold are watched until they end or their lease runs out.
        while (_options.TakeOverExpired)
        {
            var (claimed, waiting) = await TryTakeOverAsync(cancellationToken).ConfigureAwait(false);
            if (claimed is not null)
            {
                return claimed;
            }

            if (!waiting)
            {
                return null;
            }

            await Task.Delay(_options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }

    /// <summary>One look at the store: claims a task another worker left (lease no longer renewed, or stopped as RERUN).</summary>
    /// <returns>The claimed task, or whether tasks of this share are still held by live workers.</returns>
    private async Task<(TaskAssignment? Claimed, bool Waiting)> TryTakeOverAsync(CancellationToken cancellationToken)
    {
        var waiting = false;
        var records = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        var statuses = records.ToDictionary(r => r.TaskId, r => r.Status, StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (!_mine.TryGetValue(record.TaskId, out var task) || Attempted(record.TaskId))
            {
                continue;
            }

            // COMPLETED and ERRORED are outcomes of this run's attempts elsewhere; only unfinished work is taken over.
            if (record.Status is TaskRecordStatus.Completed or TaskRecordStatus.Errored)
            {
                continue;
            }

            var prerequisites = task.After.Select(id => statuses.GetValueOrDefault(id, TaskRecordStatus.Completed)).ToList();
            if (prerequisites.Any(status => status != TaskRecordStatus.Completed))
            {
                // Waits while they may still complete; a prerequisite that ERRORED leaves it for a later run or a redrive.
                waiting |= !prerequisites.Contains(TaskRecordStatus.Errored);
                continue;
            }

            if (!_leases.CanClaim(record, includeCompleted: false))
            {
                waiting = true;
                continue;
            }

            if (await TryClaimAsync(task, record, cancellationToken).ConfigureAwait(false) is { } claimed)
            {
                if (!_deferred.TryRemove(task.TaskId, out _))
                {
                    Interlocked.Increment(ref _expected);
                    Interlocked.Increment(ref _takeOvers);
                }

                return (claimed, true);
            }

            waiting = true;
        }

        return (null, waiting);
    }

    /// <summary>Whether the store has every task of <see cref="DataTaskDefinition.After"/> COMPLETED (an unknown one counts as done).</summary>
    private async Task<bool> PrerequisitesCompletedAsync(DataTaskDefinition task, CancellationToken cancellationToken)
    {
        foreach (var id in task.After)
        {
            if (await _store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } record && record.Status != TaskRecordStatus.Completed)
            {
                return false;
            }
        }

        return true;
    }

    private bool Attempted(string taskId)
    {
        lock (_taking)
        {
            return _attempted.Contains(taskId);
        }
    }

    /// <summary>Claims the task as read in <paramref name="seen"/>, reading it afresh once when that read is stale.</summary>
    private async Task<TaskAssignment?> TryClaimAsync(DataTaskDefinition task, TaskRecord seen, CancellationToken cancellationToken)
    {
        lock (_taking)
        {
            if (!_attempted.Add(task.TaskId))
            {
                return null;
            }
        }

        var mine = await _leases.TryClaimAsync(seen, _options.RerunCompleted, cancellationToken).ConfigureAwait(false);
        if (mine is null && await _store.GetAsync(task.TaskId, cancellationToken).ConfigureAwait(false) is { } fresh)
        {
            seen = fresh;
            mine = await _leases.TryClaimAsync(fresh, _options.RerunCompleted, cancellationToken).ConfigureAwait(false);
        }

        if (mine is null)
        {
            if (seen.Status != TaskRecordStatus.Completed)
            {
                // Held by another worker: let the take-over pass look at it again.
                lock (_taking)
                {
                    _attempted.Remove(task.TaskId);
                }
            }

            return null;
        }

        _held[task.TaskId] = mine;
        // A completed task run again starts from its beginning; anything else goes on from its last checkpoint.
        var resume = seen.Status == TaskRecordStatus.Completed || mine.Checkpoint is not { } json ? null
            : TaskCheckpoint.FromJson(json, out var problem) ?? throw new TaskStoreException($"task {task.TaskId} in {_store.Location}: {problem}");
        return new TaskAssignment(task, resume);
    }

    /// <inheritdoc />
    public void SaveCheckpoint(TaskAssignment assignment, TaskCheckpoint checkpoint) =>
        WriteHeldAsync(assignment.Task.TaskId, held => TaskTransitions.Checkpointed(held, checkpoint, _time.GetUtcNow(), _leases.LeaseDuration),
            keepHolding: true).GetAwaiter().GetResult();

    /// <inheritdoc />
    public void DropCheckpoint(TaskAssignment assignment) =>
        WriteHeldAsync(assignment.Task.TaskId, held => TaskTransitions.CheckpointDropped(held, _time.GetUtcNow(), _leases.LeaseDuration),
            keepHolding: true).GetAwaiter().GetResult();

    /// <inheritdoc />
    public void ConfirmOwnership(TaskAssignment assignment) =>
        WriteHeldAsync(assignment.Task.TaskId, held => TaskTransitions.Renewed(held, _time.GetUtcNow(), _leases.LeaseDuration),
            keepHolding: true).GetAwaiter().GetResult();

    /// <inheritdoc />
    public void End(TaskAssignment assignment, TaskResult result)
    {
        try
        {
            // A task that could not continue its checkpoint's output started over: its counts start from zero.
            var resumedFrom = result.RestartedBecause is null ? assignment.ResumeFrom : null;
            WriteHeldAsync(result.TaskId, held => TaskTransitions.Ended(held, result, resumedFrom, _time.GetUtcNow()) with
            {
                // The latest attempt's, like its counts of bytes: an attempt without any clears an earlier one's.
                Warnings = result.Warnings.Count > 0 ? result.Warnings : null,
            }, keepHolding: false).GetAwaiter().GetResult();
        }
        catch (TaskOwnershipLostException e)
        {
            _warnings.Enqueue($"task {result.TaskId}: the outcome ({result.Status}) was not recorded: {e.Message}");
        }
    }

    /// <summary>
    /// Tasks of this worker's share still to run, as the store has them now: CREATED or RERUN, or PROCESSING under this
    /// worker (released to RERUN when the ledger is disposed). Tasks other workers completed or hold are not counted,
    /// nor those in <paramref name="ended"/> (this run's COMPLETED and ERRORED tasks, whose record may trail).
    /// </summary>
    public async Task<int> CountLeftAsync(IReadOnlySet<string> ended, CancellationToken cancellationToken = default)
    {
        var left = 0;
        foreach (var record in await _store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (_mine.ContainsKey(record.TaskId) && !ended.Contains(record.TaskId) && (TaskTransitions.IsRunnable(record.Status)
                || (record.Status == TaskRecordStatus.Processing && record.WorkerId == WorkerId)))
            {
                left++;
            }
        }

        return left;
    }

    /// <summary>Every claimed task without a recorded outcome goes to RERUN, keeping its checkpoint (the run stopped before it ended).</summary>
    public async Task ReleaseUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var taskId in _held.Keys.ToList())
        {
            try
            {
                await WriteHeldAsync(taskId, held => TaskTransitions.Interrupted(held, _time.GetUtcNow()), keepHolding: false, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (TaskOwnershipLostException e)
            {
                _warnings.Enqueue(e.Message);
            }
        }
    }

    private async Task WriteHeldAsync(string taskId, Func<TaskRecord, TaskRecord> change, bool keepHolding,
        CancellationToken cancellationToken = default)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_held.TryRemove(taskId, out var held))
            {
                throw new TaskOwnershipLostException($"task {taskId}: this worker ({WorkerId}) no longer holds it (its lease was lost)");
            }

            TaskRecord written;
            try
            {
                written = await _store.UpdateAsync(change(held), cancellationToken).ConfigureAwait(false);
            }
            catch (TaskConflictException e)
            {
                throw new TaskOwnershipLostException($"task {taskId}: another worker took it over ({e.Message})");
            }
            catch
            {
                // A store failure (not a conflict): the task is still this worker's until its lease runs out.
                _held[taskId] = held;
                throw;
            }

            if (keepHolding)
            {
                _held[taskId] = written;
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task RenewUntilStoppedAsync()
    {
        try
        {
            while (await _renewTimer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                await RenewAllAsync(_stopRenewing.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    /// <summary>Extends the lease of every task still held (the renewal timer calls it every third of the lease).</summary>
    internal async Task RenewAllAsync(CancellationToken cancellationToken)
    {
        foreach (var taskId in _held.Keys.ToList())
        {
            try
            {
                await WriteHeldAsync(taskId, held => TaskTransitions.Renewed(held, _time.GetUtcNow(), _leases.LeaseDuration), keepHolding: true,
                    cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _leaseRenewals);
            }
            catch (TaskOwnershipLostException e)
            {
                _warnings.Enqueue($"{e.Message}; its outcome will not be recorded by this worker");
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A store hiccup (a TaskStoreException, or the local store's disk full or unreadable for a moment) must
                // not end the run, nor stop the renewals: the next one tries again before the lease runs out.
                _warnings.Enqueue($"task {taskId}: renewing the lease failed: {e.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _renewTimer.Dispose();
        await _stopRenewing.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        await ReleaseUnfinishedAsync().ConfigureAwait(false);
        _stopRenewing.Dispose();
        _writes.Dispose();
    }
}

/// <summary>How a <see cref="StoreTaskLedger"/> picks tasks.</summary>
public sealed record StoreTaskLedgerOptions
{
    /// <summary>Run COMPLETED tasks again (from their beginning).</summary>
    public bool RerunCompleted { get; init; }

    /// <summary>Only the tasks of this static shard; null = all.</summary>
    public TaskShard? Shard { get; init; }

    /// <summary>
    /// After the manifest pass, wait for tasks other workers hold and take over those whose lease is no longer renewed;
    /// it is also where tasks waiting for their prerequisites (a stream's child shards) are claimed: without it they
    /// stay for a later run.
    /// </summary>
    public bool TakeOverExpired { get; init; } = true;

    /// <summary>How often the take-over pass looks at the store.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);
}

using System.Collections.Concurrent;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.State;

/// <summary>
/// The task-state side of one run: registers the dataset's tasks, claims up front every task this run will run (the
/// engine takes a fixed list, and a task claimed at the start is one no second run can start too), keeps the leases
/// renewed while the run goes on, and records each outcome. Completed tasks are skipped unless rerun on purpose.
/// </summary>
public sealed class RunClaims : IAsyncDisposable
{
    private readonly ITaskStore _store;
    private readonly TaskLeases _leases;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, TaskRecord> _held = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _warnings = new();
    private readonly SemaphoreSlim _writes = new(1, 1);
    private readonly CancellationTokenSource _stopRenewing = new();
    private Task _renewing = Task.CompletedTask;

    private RunClaims(ITaskStore store, TaskLeases leases, TimeProvider time, IReadOnlyList<DataTaskDefinition> tasks,
        int skippedCompleted, IReadOnlyList<TaskRecord> heldElsewhere)
    {
        _store = store;
        _leases = leases;
        _time = time;
        Tasks = tasks;
        SkippedCompleted = skippedCompleted;
        HeldElsewhere = heldElsewhere;
    }

    /// <summary>The tasks this run claimed, in manifest order: the ones to run.</summary>
    public IReadOnlyList<DataTaskDefinition> Tasks { get; }

    /// <summary>COMPLETED tasks left out.</summary>
    public int SkippedCompleted { get; }

    /// <summary>Tasks another live worker holds (PROCESSING under a lease that has not expired); left out.</summary>
    public IReadOnlyList<TaskRecord> HeldElsewhere { get; }

    /// <summary>Leases lost during the run (another worker took the task over after it expired); for the log.</summary>
    public IReadOnlyCollection<string> Warnings => _warnings;

    /// <summary>Registers <paramref name="tasks"/> and claims the ones to run.</summary>
    /// <param name="store">The dataset's task store.</param>
    /// <param name="leases">This worker's claims.</param>
    /// <param name="datasetName">The dataset.</param>
    /// <param name="readerType">The reader type's display name.</param>
    /// <param name="tasks">Every task of the dataset.</param>
    /// <param name="rerunCompleted">Claim COMPLETED tasks too.</param>
    /// <param name="time">The clock of the leases.</param>
    /// <param name="cancellationToken">Stops registering and claiming.</param>
    /// <exception cref="TaskStoreException">The store is unusable or holds another dataset's tasks.</exception>
    public static async Task<RunClaims> ClaimAsync(ITaskStore store, TaskLeases leases, string datasetName, string readerType,
        IReadOnlyList<DataTaskDefinition> tasks, bool rerunCompleted, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var records = await TaskRegistry.RegisterAsync(store, datasetName, readerType, tasks, time.GetUtcNow(), cancellationToken)
            .ConfigureAwait(false);
        var claimed = new List<(DataTaskDefinition Task, TaskRecord Record)>();
        var skipped = 0;
        var heldElsewhere = new List<TaskRecord>();
        try
        {
            skipped = await ClaimEachAsync(store, leases, tasks, records, rerunCompleted, claimed, heldElsewhere, cancellationToken)
                .ConfigureAwait(false);
        }
        catch
        {
            // The run will not start: what this worker already claimed goes back at once rather than when the lease ends.
            foreach (var (_, record) in claimed)
            {
                try
                {
                    await store.UpdateAsync(TaskTransitions.Interrupted(record, time.GetUtcNow()), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is TaskConflictException or TaskStoreException or IOException)
                {
                    // Best effort: the lease still ends, and a dead local owner is noticed at once.
                }
            }

            throw;
        }

        var run = new RunClaims(store, leases, time, claimed.Select(c => c.Task).ToList(), skipped, heldElsewhere);
        foreach (var (_, record) in claimed)
        {
            run._held[record.TaskId] = record;
        }

        run._renewing = run.RenewUntilStoppedAsync();
        return run;
    }

    /// <summary>Claims each runnable task in turn; returns how many COMPLETED ones it skipped.</summary>
    private static async Task<int> ClaimEachAsync(ITaskStore store, TaskLeases leases, IReadOnlyList<DataTaskDefinition> tasks,
        IReadOnlyList<TaskRecord> records, bool rerunCompleted, List<(DataTaskDefinition Task, TaskRecord Record)> claimed,
        List<TaskRecord> heldElsewhere, CancellationToken cancellationToken)
    {
        var skipped = 0;
        for (var i = 0; i < tasks.Count; i++)
        {
            var record = records[i];
            if (record.Status == TaskRecordStatus.Completed && !rerunCompleted)
            {
                skipped++;
                continue;
            }

            // The registration's read may be stale by now (another worker claiming): one fresh read decides.
            var mine = await leases.TryClaimAsync(record, rerunCompleted, cancellationToken).ConfigureAwait(false);
            if (mine is null && await store.GetAsync(record.TaskId, cancellationToken).ConfigureAwait(false) is { } fresh)
            {
                mine = await leases.TryClaimAsync(fresh, rerunCompleted, cancellationToken).ConfigureAwait(false);
                record = fresh;
            }

            if (mine is not null)
            {
                claimed.Add((tasks[i], mine));
            }
            else if (record.Status == TaskRecordStatus.Completed)
            {
                skipped++;
            }
            else
            {
                heldElsewhere.Add(record);
            }
        }

        return skipped;
    }

    /// <summary>Records the outcome of each ended task (one more attempt, counters, the last error).</summary>
    public async Task RecordAsync(IEnumerable<TaskResult> results, CancellationToken cancellationToken = default)
    {
        foreach (var result in results)
        {
            await WriteHeldAsync(result.TaskId, held => TaskTransitions.Ended(held, result, _time.GetUtcNow()), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    /// <summary>Every claimed task without a recorded outcome goes to RERUN (the run stopped before it ended).</summary>
    public async Task ReleaseUnfinishedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var taskId in _held.Keys.ToList())
        {
            await WriteHeldAsync(taskId, held => TaskTransitions.Interrupted(held, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task WriteHeldAsync(string taskId, Func<TaskRecord, TaskRecord> change, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_held.TryRemove(taskId, out var held))
            {
                return;
            }

            try
            {
                await _store.UpdateAsync(change(held), cancellationToken).ConfigureAwait(false);
            }
            catch (TaskConflictException e)
            {
                _warnings.Enqueue($"task {taskId}: the outcome was not recorded, the task changed hands meanwhile ({e.Message})");
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    private async Task RenewUntilStoppedAsync()
    {
        using var timer = new PeriodicTimer(_leases.LeaseDuration / 3, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopRenewing.Token).ConfigureAwait(false))
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
        await _writes.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (taskId, held) in _held.ToList())
            {
                try
                {
                    if (await _leases.TryRenewAsync(held, cancellationToken).ConfigureAwait(false) is { } renewed)
                    {
                        _held[taskId] = renewed;
                    }
                    else
                    {
                        _held.TryRemove(taskId, out _);
                        _warnings.Enqueue($"task {taskId}: lease lost (another worker took the task over); its outcome will not be recorded by this worker");
                    }
                }
                catch (TaskStoreException e)
                {
                    // A store hiccup must not end the run; the next renewal tries again before the lease runs out.
                    _warnings.Enqueue($"task {taskId}: renewing the lease failed: {e.Message}");
                }
            }
        }
        finally
        {
            _writes.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopRenewing.CancelAsync().ConfigureAwait(false);
        await _renewing.ConfigureAwait(false);
        await ReleaseUnfinishedAsync().ConfigureAwait(false);
        _stopRenewing.Dispose();
        _writes.Dispose();
    }
}

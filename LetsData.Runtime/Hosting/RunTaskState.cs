using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.State;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>run</c>'s use of the task store: registers and claims the run's tasks, says what it skipped, and logs what went
/// wrong with the state afterwards. Keeps <see cref="RunCommand"/> to a few lines about task state.
/// </summary>
internal static class RunTaskState
{
    /// <summary>How long a claim holds without renewal (default of <c>--lease-seconds</c>); renewed every third of it while the run goes on.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    /// <summary>
    /// The run's task state as <c>run</c> uses it in both modes: this worker's static shard, the task store of its
    /// command line, and the ledger over the dataset's tasks; null with the problems when any of them cannot be used.
    /// </summary>
    public static async Task<RunTaskStateHandle?> TryOpenForRunAsync(CommandLine commandLine, Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks,
        TextWriter output, ILogger logger, List<string> problems, CancellationToken cancellationToken)
    {
        var shard = TaskShard.Resolve(commandLine.Worker.ShardIndex, commandLine.Worker.ShardCount, ShardVariables(), problems);
        var stores = problems.Count > 0 ? null
            : await TaskStores.TryOpenAsync(commandLine, dataset, createTable: true, problems, cancellationToken).ConfigureAwait(false);
        var ledger = stores is null ? null
            : await TryOpenAsync(commandLine, dataset, tasks, stores.Store, shard, output, logger, problems, cancellationToken).ConfigureAwait(false);
        if (ledger is null)
        {
            stores?.Dispose();
            return null;
        }

        return new RunTaskStateHandle(stores!, ledger);
    }

    private static Dictionary<string, string?> ShardVariables() =>
        new[] { TaskShard.KubernetesIndexVariable, TaskShard.AwsBatchIndexVariable, TaskShard.CountVariable }
            .ToDictionary(name => name, Environment.GetEnvironmentVariable, StringComparer.Ordinal);

    /// <summary>The run's ledger, or null with the problem (an unusable or foreign state folder).</summary>
    /// <param name="commandLine">The run's command line (<c>--state</c>, <c>--rerun-completed</c>, lease and shard options).</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="tasks">Every task of the dataset.</param>
    /// <param name="store">The task store (<see cref="TaskStores"/>).</param>
    /// <param name="shard">This worker's static shard; null for all tasks.</param>
    /// <param name="output">Receives the skipped-tasks line.</param>
    /// <param name="logger">Receives tasks held by other workers.</param>
    /// <param name="problems">Receives the problem when the state cannot be used.</param>
    /// <param name="cancellationToken">Stops registering.</param>
    public static async Task<StoreTaskLedger?> TryOpenAsync(CommandLine commandLine, Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks,
        ITaskStore store, TaskShard? shard, TextWriter output, ILogger logger, List<string> problems, CancellationToken cancellationToken)
    {
        var lease = commandLine.Worker.LeaseSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : LeaseDuration;
        var leases = new TaskLeases(store, WorkerIdentity.Current, lease, TimeProvider.System);
        StoreTaskLedger ledger;
        try
        {
            ledger = await StoreTaskLedger.OpenAsync(store, leases, dataset.Name, dataset.ReaderType.DisplayName(), tasks,
                new StoreTaskLedgerOptions { RerunCompleted = commandLine.RerunCompleted, Shard = shard }, TimeProvider.System, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is TaskStoreException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"task state ({store.Location}): {e.Message}");
            return null;
        }

        if (ledger.SkippedCompleted > 0)
        {
            output.WriteLine($"Dataset {dataset.Name}: {ledger.SkippedCompleted} task(s) already completed, skipped (--rerun-completed runs them again)");
        }

        foreach (var held in ledger.HeldElsewhere)
        {
            logger.LogWarning("task {TaskId} is held by worker {Worker} (lease counter {Counter}, until {Expiry:u} by its clock); " +
                "this worker takes it over if that lease goes unrenewed for {Lease} s by this worker's clock",
                held.TaskId, held.WorkerId, held.LeaseCounter, held.LeaseExpiresAt, leases.LeaseDuration.TotalSeconds);
        }

        logger.LogInformation("task state in {Location}: {Tasks} task(s) in this worker's share{Shard}, worker {Worker}",
            ledger.Location, ledger.TasksInShare, shard is null ? "" : $" ({shard})", ledger.WorkerId);
        return ledger;
    }

    /// <summary>Releases unfinished tasks (RERUN, checkpoint kept) and logs what went wrong with the state during the run.</summary>
    public static async Task EndAsync(StoreTaskLedger ledger, RunSummary summary, ILogger logger)
    {
        try
        {
            await ledger.ReleaseUnfinishedAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TaskStoreException or IOException or UnauthorizedAccessException)
        {
            logger.LogError("recording the unfinished tasks failed: {Error}", e.Message);
        }

        foreach (var task in summary.Tasks.Where(t => t.RestartedBecause is not null))
        {
            logger.LogWarning("task {TaskId} started over from its beginning: {Reason}", task.TaskId, task.RestartedBecause);
        }

        foreach (var warning in ledger.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }
    }
}

/// <summary>A run's task store and ledger, disposed together (the ledger first: it releases what it holds in the store).</summary>
internal sealed class RunTaskStateHandle(TaskStores stores, StoreTaskLedger ledger) : IAsyncDisposable
{
    public StoreTaskLedger Ledger { get; } = ledger;

    /// <summary>The store under the ledger (read by the status page).</summary>
    public ITaskStore Store => stores.Store;

    public async ValueTask DisposeAsync()
    {
        await Ledger.DisposeAsync().ConfigureAwait(false);
        stores.Dispose();
    }
}

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
    /// <summary>How long a claim holds without renewal; renewed every third of it while the run goes on.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromMinutes(2);

    /// <summary>The run's claims, or null with the problem (an unusable or foreign state folder).</summary>
    /// <param name="commandLine">The run's command line (<c>--state</c>, <c>--rerun-completed</c>).</param>
    /// <param name="dataset">The dataset.</param>
    /// <param name="tasks">Every task of the dataset.</param>
    /// <param name="output">Receives the skipped-tasks line.</param>
    /// <param name="logger">Receives tasks held by other workers.</param>
    /// <param name="problems">Receives the problem when the state cannot be used.</param>
    /// <param name="cancellationToken">Stops registering and claiming.</param>
    public static async Task<RunClaims?> TryClaimAsync(CommandLine commandLine, Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks,
        TextWriter output, ILogger logger, List<string> problems, CancellationToken cancellationToken)
    {
        var store = new LocalTaskStore(TaskStateDirectory.Resolve(commandLine.StateDirectory, dataset.Name));
        var leases = new TaskLeases(store, WorkerIdentity.Current, LeaseDuration, TimeProvider.System);
        RunClaims claims;
        try
        {
            claims = await RunClaims.ClaimAsync(store, leases, dataset.Name, dataset.ReaderType.DisplayName(), tasks,
                commandLine.RerunCompleted, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TaskStoreException or IOException or UnauthorizedAccessException)
        {
            problems.Add($"task state ({store.Location}): {e.Message}");
            return null;
        }

        if (claims.SkippedCompleted > 0)
        {
            output.WriteLine($"Dataset {dataset.Name}: {claims.SkippedCompleted} task(s) already completed, skipped (--rerun-completed runs them again)");
        }

        foreach (var held in claims.HeldElsewhere)
        {
            logger.LogWarning("task {TaskId} skipped: worker {Worker} holds it until {Expiry:u}", held.TaskId, held.WorkerId, held.LeaseExpiresAt);
        }

        logger.LogInformation("task state in {Location}: {Claimed} task(s) claimed by {Worker}", store.Location, claims.Tasks.Count, leases.WorkerId);
        return claims;
    }

    /// <summary>Records the outcomes; a failure of the state store is logged, it does not change the run's result.</summary>
    public static async Task RecordAsync(RunClaims claims, RunSummary summary, ILogger logger)
    {
        try
        {
            await claims.RecordAsync(summary.Tasks, CancellationToken.None).ConfigureAwait(false);
            await claims.ReleaseUnfinishedAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TaskStoreException or IOException or UnauthorizedAccessException)
        {
            logger.LogError("recording the task outcomes failed: {Error}", e.Message);
        }

        foreach (var warning in claims.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }
    }
}

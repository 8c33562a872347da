using LetsData.Runtime.Engine;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Hosting;

/// <summary>What a smoke run found: a problem, or a description of what the first records gave.</summary>
internal sealed record SmokeRunOutcome(string? Problem, string Description);

/// <summary>
/// The initialization test's last step, shared by <c>validate</c> and <c>run</c>: the first task over its first
/// records through the real engine into discarding sinks, with a time limit, so that a plugin that cannot handle the
/// data fails before any task writes anything.
/// </summary>
internal static class SmokeRun
{
    public const int Results = 20;
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    /// <summary>Runs the first task's first <see cref="Results"/> results; null when there is no task to try.</summary>
    public static async Task<SmokeRunOutcome?> TryRunAsync(PreparedDataset prepared, RunInputs inputs, CancellationToken cancellationToken)
    {
        if (inputs.Tasks.Count == 0)
        {
            return null;
        }

        var first = inputs.Tasks[0];
        var dataset = prepared.Dataset;
        var engine = new DataTaskEngine(dataset.Name, prepared.Binding, inputs.Sources,
            DiscardingSinkFactory.Instance, DiscardingSinkFactory.Instance,
            new EngineOptions
            {
                MaxRecordBytes = dataset.MaxRecordBytes,
                MaxResultsPerTask = Results,
                PluginCallTimeout = dataset.Limits.CallTimeout is { } timeout && timeout < TimeLimit ? timeout : TimeLimit,
                MaxTaskAllocatedBytes = dataset.Limits.MaxTaskAllocatedBytes,
            });
        RunSummary summary;
        try
        {
            summary = await engine.RunAsync([first], cancellationToken).WaitAsync(TimeLimit + TimeSpan.FromSeconds(5), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return new SmokeRunOutcome($"smoke run: {first.TaskId} did not return its first {Results} results within {TimeLimit.TotalSeconds:F0} s", "");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return new SmokeRunOutcome($"smoke run: stopped (Ctrl+C or SIGTERM) before {first.TaskId} returned its first {Results} results", "");
        }

        var result = summary.Tasks[0];
        if (result.Status == DataTaskStatus.Errored)
        {
            return new SmokeRunOutcome($"smoke run: {first.TaskId} ({first.ManifestLine}) errored: {result.ErrorMessage}", "");
        }

        var counters = result.Counters;
        return new SmokeRunOutcome(null,
            $"smoke run of {first.TaskId} ({first.ManifestLine}): {counters.Records} record(s) -> {counters.Documents} document(s), {counters.Errors} error(s), {counters.Skips} skip(s)");
    }
}

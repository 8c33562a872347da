using System.Diagnostics;
using LetsData.Runtime.DataTasks.Control;
using LetsData.Runtime.Plugins.Policy;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>letsdata validate</c>: the initialization checks — config, manifest, plugin load in isolation, contract version,
/// every configured class — then a smoke run of the first task over its first records into a discarding destination.
/// Lists every problem found.
/// </summary>
public sealed class ValidateCommand(ILogger<ValidateCommand> logger)
{
    public async Task<int> ExecuteAsync(CommandLine commandLine, TextWriter output, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var problems = new List<string>();
        var advice = new StringWriter();
        if (commandLine.InProcess)
        {
            await CheckPluginAsync(
                list =>
                {
                    var prepared = PreparedDataset.TryPrepare(commandLine.DatasetFile, commandLine.PluginsDirectory, list, out var scan,
                        commandLine.PluginCacheDirectory);
                    PrintNotices(prepared?.Dataset, output);
                    return (prepared, scan);
                },
                output, problems, advice, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await CheckInDataTaskProcessAsync(commandLine, output, problems, advice, cancellationToken).ConfigureAwait(false);
        }

        foreach (var problem in problems)
        {
            output.WriteLine($"FAIL {problem}");
        }

        output.Write(advice.ToString());
        output.WriteLine(problems.Count == 0
            ? $"valid ({stopwatch.Elapsed.TotalMilliseconds:F0} ms)"
            : $"{problems.Count} problem(s) ({stopwatch.Elapsed.TotalMilliseconds:F0} ms)");
        return problems.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }

    // The supervisor's half: config, role, S3 manifest and plugin zip here; the plugin is checked in a data-task process.
    private async Task CheckInDataTaskProcessAsync(CommandLine commandLine, TextWriter output, List<string> problems, StringWriter advice,
        CancellationToken cancellationToken)
    {
        if (PreparedDataset.TryLoadConfig(commandLine.DatasetFile, commandLine.PluginsDirectory, problems) is not { } dataset)
        {
            return;
        }

        PrintNotices(dataset, output);

        var artifact = PreparedDataset.TryFetchPlugin(dataset, commandLine.PluginCacheDirectory, problems);
        var keys = DatasetKeys.TryResolve(dataset, logger, problems);
        if (problems.Count > 0)
        {
            return;
        }

        // Full paths: the data-task process reads the same dataset file and plugins folder, whatever its current directory.
        var start = new StartDataTasks(DataTaskMode.Validate, Path.GetFullPath(commandLine.DatasetFile), dataset.Plugins.Path, SmokeRun: true, ExpectedTasks: 0)
        {
            PluginAssembly = artifact?.AssemblyPath ?? dataset.ArtifactFile,
            ManifestText = dataset.ManifestS3Object is null ? null : dataset.ManifestText,
            Credentials = keys,
        };
        var checkedThere = await DataTaskSupervisor.ValidateAsync(DataTaskLaunchPlan.ForValidate(commandLine.DatasetFile, dataset), start, logger, cancellationToken)
            .ConfigureAwait(false);
        var missing = checkedThere.Confinement.Where(l => l.StartsWith("MISSING", StringComparison.Ordinal)).ToList();
        output.WriteLine($"ok   checked in a data-task process: {checkedThere.Confinement.Count - missing.Count} protection(s) applied" +
            (missing.Count == 0 ? "" : $"; {string.Join("; ", missing)}"));
        foreach (var line in checkedThere.Lines)
        {
            output.WriteLine(line);
        }

        if (artifact is not null)
        {
            output.WriteLine($"ok   {artifact.Describe()}");
        }

        problems.AddRange(checkedThere.Problems);
        foreach (var line in checkedThere.Advice)
        {
            advice.WriteLine(line);
        }
    }

    /// <summary>
    /// The plugin half of <c>validate</c>, where plugin code may run (a data-task process, or this one with
    /// <c>--in-process</c>): the policy lint, the load, the reader classes, the inputs and the smoke run. Writes the
    /// "ok" lines to <paramref name="output"/>, the problems to <paramref name="problems"/>, and how to allow refused
    /// dependencies to <paramref name="advice"/>.
    /// </summary>
    internal static async Task CheckPluginAsync(Func<List<string>, (PreparedDataset? Prepared, PolicyScanResult? Scan)> prepare,
        TextWriter output, List<string> problems, TextWriter advice, CancellationToken cancellationToken)
    {
        var (prepared, policyScan) = prepare(problems);
        using (prepared)
        {
            if (prepared is not null)
            {
                if (prepared is { Plugin: { } plugin, PolicyScan: { } scan })
                {
                    output.WriteLine($"ok   plugin policy: {DescribeScan(scan)}");
                    output.WriteLine($"ok   plugin {plugin.Name} (contract {plugin.ContractVersion}) loaded in {prepared.PluginLoadTime.TotalMilliseconds:F0} ms; reader classes resolved");
                }

                foreach (var line in prepared.BridgeProject?.Report ?? [])
                {
                    output.WriteLine(line);
                }

                if (prepared.PluginArtifact is { } artifact)
                {
                    output.WriteLine($"ok   {artifact.Describe()}");
                }

                await OpenInputsAndSmokeRunAsync(prepared, output, problems, cancellationToken).ConfigureAwait(false);
            }
        }

        if (policyScan is { IsAllowed: false })
        {
            PrintAllowEntries(policyScan, advice);
        }
    }

    // Where the dataset's paths lead, then the LetsData fields accepted but not used here: a warning each, not a problem.
    private static void PrintNotices(Datasets.Dataset? dataset, TextWriter output)
    {
        if (dataset is not null)
        {
            output.WriteLine($"     {PathsLine(dataset)}");
        }

        foreach (var notice in dataset?.Notices ?? [])
        {
            output.WriteLine($"WARN {notice}");
        }
    }

    /// <summary>The line <c>validate</c> prints and <c>run</c> logs: where the dataset's relative paths and its plugin were looked for.</summary>
    internal static string PathsLine(Datasets.Dataset dataset) =>
        $"paths resolve against {dataset.PathsFolder}; plugins from {dataset.Plugins}";

    private static string DescribeScan(PolicyScanResult scan)
    {
        var allowed = scan.Allowed.Count == 0 ? "" : $"; allowed without scan (pinned by pluginPolicy): {string.Join(", ", scan.Allowed)}";
        return $"{scan.Scanned.Count} assembl{(scan.Scanned.Count == 1 ? "y" : "ies")} scanned in {scan.Elapsed.TotalMilliseconds:F1} ms{allowed}";
    }

    // Widening the policy is meant to be one reviewed copy-paste: print the exact entries, each pinned to the file's hash.
    private static void PrintAllowEntries(PolicyScanResult scan, TextWriter output)
    {
        output.WriteLine($"plugin policy: scanned {scan.Scanned.Count} assembl{(scan.Scanned.Count == 1 ? "y" : "ies")} in {scan.Elapsed.TotalMilliseconds:F1} ms; {scan.Refused.Count} refused.");
        var dependencies = scan.Refused.Where(r => !r.IsPluginAssembly).ToList();
        if (dependencies.Count > 0)
        {
            output.WriteLine("To allow these reviewed dependencies, add to the dataset's \"pluginPolicy\": { \"allow\": [ ... ] }:");
            foreach (var refused in dependencies)
            {
                output.WriteLine($"  {refused.SuggestedAllowEntry.ToJson()},");
            }
        }

        foreach (var plugin in scan.Refused.Where(r => r.IsPluginAssembly))
        {
            output.WriteLine($"The plugin's own assembly {plugin.Name} uses fenced APIs itself: remove those calls. Only if they are reviewed and intended, allow it with:");
            output.WriteLine($"  {plugin.SuggestedAllowEntry.ToJson()},");
        }
    }

    private static async Task OpenInputsAndSmokeRunAsync(PreparedDataset prepared, TextWriter output, List<string> problems,
        CancellationToken cancellationToken)
    {
        using var inputs = await RunInputs.TryOpenAsync(prepared, problems, stopWhenCaughtUp: true, cancellationToken).ConfigureAwait(false);
        if (inputs is null)
        {
            return;
        }

        output.WriteLine($"ok   dataset {prepared.Dataset.Name}: {inputs.Tasks.Count} task(s), reader type {prepared.Dataset.ReaderType}");
        if (await SmokeRun.TryRunAsync(prepared, inputs, cancellationToken).ConfigureAwait(false) is { } outcome)
        {
            if (outcome.Problem is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                output.WriteLine($"ok   {outcome.Description}");
            }
        }
    }
}

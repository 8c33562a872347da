using LetsData.Runtime.DataTasks.Control;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// Data-task process 1 prepares its dataset and plugin (the config, the plugin policy scan, the load) on the other core
/// while it sets up its channel and reads its start message, instead of after it: <c>run --timings</c> showed the
/// process's own start — a runtime, then the first use of System.Text.Json for the start message — to be the path the
/// whole start-up waits on. The policy scan runs beside the config's parse (<see cref="PolicyScanAhead"/>). The
/// supervisor names the dataset and the plugin in stage 2's environment (<see cref="Variables"/>); the start message is
/// then held against them, and a process whose start asks for anything else (a validation, another plugin build, a
/// manifest from S3) drops the early preparation and prepares from the message as before. It starts after the
/// system-call filter, like everything of the process but a bridge host.
/// </summary>
internal sealed class PreparationAhead
{
    public const string DatasetVariable = "LETSDATA_PREPARE_DATASET";
    public const string PluginsVariable = "LETSDATA_PREPARE_PLUGINS";
    public const string PluginVariable = "LETSDATA_PREPARE_PLUGIN";

    private readonly Target _target;
    private readonly Task<Outcome> _preparing;

    private PreparationAhead(Target target)
    {
        _target = target;
        // The plugin folder's policy scan needs only the assembly's path: it runs beside the dataset's parse.
        var scanAhead = PolicyScanAhead.Start(target.PluginAssembly);
        _preparing = Task.Run(() =>
        {
            var problems = new List<string>();
            var prepared = PreparedDataset.TryPrepareInDataTask(target.DatasetFile, target.PluginsDirectory, manifestText: null,
                target.PluginAssembly, problems, out _, scanAhead);
            return new Outcome(prepared, problems);
        });
    }

    /// <summary>What the process is to prepare: the start message's dataset file, plugins folder and plugin assembly.</summary>
    public sealed record Target(string DatasetFile, string PluginsDirectory, string PluginAssembly);

    /// <summary>A preparation's result: the prepared dataset, or null with the problems that stopped it.</summary>
    public sealed record Outcome(PreparedDataset? Prepared, List<string> Problems);

    /// <summary>The variables that name <paramref name="target"/> in a data-task process's environment.</summary>
    public static Dictionary<string, string> Variables(Target target) => new(StringComparer.Ordinal)
    {
        [DatasetVariable] = target.DatasetFile,
        [PluginsVariable] = target.PluginsDirectory,
        [PluginVariable] = target.PluginAssembly,
    };

    /// <summary>Starts preparing what this process's environment names; null when it names nothing.</summary>
    public static PreparationAhead? StartFromEnvironment()
    {
        var datasetFile = Environment.GetEnvironmentVariable(DatasetVariable);
        var pluginsDirectory = Environment.GetEnvironmentVariable(PluginsVariable);
        var pluginAssembly = Environment.GetEnvironmentVariable(PluginVariable);
        return string.IsNullOrEmpty(datasetFile) || string.IsNullOrEmpty(pluginsDirectory) || string.IsNullOrEmpty(pluginAssembly)
            ? null
            : Start(new Target(datasetFile, pluginsDirectory, pluginAssembly));
    }

    /// <summary>Starts preparing <paramref name="target"/> on a pool thread.</summary>
    public static PreparationAhead Start(Target target) => new(target);

    /// <summary>
    /// The early preparation when <paramref name="start"/> runs tasks of exactly its dataset and plugin (it may still be
    /// under way: this waits for it); null otherwise, and then the early one is disposed once it is done.
    /// </summary>
    public async Task<Outcome?> TakeForAsync(StartDataTasks start)
    {
        if (start.Mode == DataTaskMode.Run && start.ManifestText is null
            && new Target(start.DatasetFile, start.PluginsDirectory, start.PluginAssembly ?? "") == _target)
        {
            return await _preparing.ConfigureAwait(false);
        }

        Drop();
        return null;
    }

    /// <summary>Not used: its plugin is unloaded once the preparation is done.</summary>
    public void Drop() =>
        _ = _preparing.ContinueWith(static done => done.Result.Prepared?.Dispose(), CancellationToken.None,
            TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
}

using System.Diagnostics;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Plugins;
using LetsData.Runtime.Plugins.Policy;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// A dataset made ready to run: config validated, manifest parsed into tasks, plugin loaded in its own context,
/// reader classes resolved. The shared first half of <c>run</c> and <c>validate</c>; collects every problem it can.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    private PreparedDataset(Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks, LoadedPlugin plugin, ReaderBinding binding,
        TimeSpan pluginLoadTime, PolicyScanResult policyScan)
    {
        PolicyScan = policyScan;
        Dataset = dataset;
        Tasks = tasks;
        Plugin = plugin;
        Binding = binding;
        PluginLoadTime = pluginLoadTime;
    }

    public Dataset Dataset { get; }
    public IReadOnlyList<DataTaskDefinition> Tasks { get; }
    public LoadedPlugin Plugin { get; }
    public ReaderBinding Binding { get; }
    public TimeSpan PluginLoadTime { get; }

    /// <summary>The plugin policy check that passed before the plugin was loaded.</summary>
    public PolicyScanResult PolicyScan { get; }

    /// <summary>Returns the prepared dataset, or null with the <paramref name="problems"/> that prevent running it.</summary>
    public static PreparedDataset? TryPrepare(string datasetFile, string pluginsDirectory, List<string> problems) =>
        TryPrepare(datasetFile, pluginsDirectory, problems, out _);

    /// <summary>
    /// Returns the prepared dataset, or null with the <paramref name="problems"/> that prevent running it. The plugin
    /// folder is checked against the plugin policy before the plugin is loaded; <paramref name="policyScan"/> is that
    /// check's result (null when the dataset could not be read), so that a refusal can be explained.
    /// </summary>
    /// <param name="datasetFile">The dataset JSON file.</param>
    /// <param name="pluginsDirectory">The folder <c>artifactFile</c> is relative to.</param>
    /// <param name="problems">Receives every problem found.</param>
    /// <param name="policyScan">The plugin policy check's result.</param>
    public static PreparedDataset? TryPrepare(string datasetFile, string pluginsDirectory, List<string> problems,
        out PolicyScanResult? policyScan)
    {
        policyScan = null;
        Dataset dataset;
        try
        {
            dataset = DatasetLoader.Load(datasetFile, pluginsDirectory);
        }
        catch (DatasetConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => $"{datasetFile}: {p}"));
            return null;
        }

        IReadOnlyList<DataTaskDefinition> tasks = [];
        try
        {
            tasks = ManifestParser.Parse(dataset.ManifestText, dataset.ReaderType, dataset.ManifestSource);
        }
        catch (DatasetConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => $"manifest ({e.ConfigSource}): {p}"));
        }

        // No plugin code may load before its folder passed the policy: loading alone runs module initializers.
        var policyProblems = new List<string>();
        var policy = PluginPolicy.FromConfig(dataset.Config.PluginPolicy, policyProblems);
        problems.AddRange(policyProblems.Select(p => $"{datasetFile}: {p}"));
        policyScan = PluginPolicyScanner.Scan(dataset.ArtifactFile, policy);
        if (policyProblems.Count > 0 || !policyScan.IsAllowed)
        {
            problems.AddRange(policyScan.Problems().Select(p => $"readConnector.artifactFile: policy: {p}"));
            return null;
        }

        var stopwatch = Stopwatch.StartNew();
        LoadedPlugin plugin;
        try
        {
            plugin = PluginLoader.Load(dataset.ArtifactFile);
        }
        catch (PluginLoadException e)
        {
            problems.Add($"readConnector.artifactFile: {e.Message}");
            return null;
        }

        var loadTime = stopwatch.Elapsed;
        var binding = PluginReaderBinding.TryCreate(dataset, plugin, problems);
        if (binding is null || problems.Count > 0)
        {
            plugin.Dispose();
            return null;
        }

        return new PreparedDataset(dataset, tasks, plugin, binding, loadTime, policyScan);
    }

    public void Dispose() => Plugin.Dispose();
}

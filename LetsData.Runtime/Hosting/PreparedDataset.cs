using System.Diagnostics;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// A dataset made ready to run: config validated, manifest parsed into tasks, plugin loaded in its own context,
/// reader classes resolved. The shared first half of <c>run</c> and <c>validate</c>; collects every problem it can.
/// </summary>
public sealed class PreparedDataset : IDisposable
{
    private PreparedDataset(Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks, LoadedPlugin plugin, ReaderBinding binding,
        TimeSpan pluginLoadTime)
    {
        Dataset = dataset;
        Tasks = tasks;
        Plugin = plugin;
        Binding = binding;
        PluginLoadTime = pluginLoadTime;
    }

    public Dataset Dataset { get; }
    /// <summary>The manifest's tasks for file readers; empty for stream and table readers (see <see cref="RunInputs"/>).</summary>
    public IReadOnlyList<DataTaskDefinition> Tasks { get; }
    public LoadedPlugin Plugin { get; }
    public ReaderBinding Binding { get; }
    public TimeSpan PluginLoadTime { get; }

    /// <summary>Returns the prepared dataset, or null with the <paramref name="problems"/> that prevent running it.</summary>
    public static PreparedDataset? TryPrepare(string datasetFile, string pluginsDirectory, List<string> problems)
    {
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

        // Stream and table readers get their tasks from the source (shards, scan segments) when it is opened.
        IReadOnlyList<DataTaskDefinition> tasks = [];
        try
        {
            if (dataset.ReaderType.ReadsFiles())
            {
                tasks = ManifestParser.Parse(dataset.ManifestText, dataset.ReaderType, dataset.ManifestSource);
            }
        }
        catch (DatasetConfigException e)
        {
            problems.AddRange(e.Problems.Select(p => $"manifest ({e.ConfigSource}): {p}"));
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

        return new PreparedDataset(dataset, tasks, plugin, binding, loadTime);
    }

    public void Dispose() => Plugin.Dispose();
}

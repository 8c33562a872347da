using LetsData.Runtime.Datasets;
using LetsData.Runtime.Plugins.Policy;
using LetsData.Runtime.Plugins.Reload;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>run</c>'s hot update for a plugin from a local folder: the versioned host the tasks lease from, and its triggers
/// (<c>letsdata plugins reload</c> always; the folder watcher with <c>--watch-plugins</c>).
/// </summary>
internal sealed class HotPluginUpdate : IDisposable
{
    /// <summary>How long a plugin folder must be quiet before a new build in it counts as complete.</summary>
    public static readonly TimeSpan BuildQuietPeriod = TimeSpan.FromMilliseconds(500);

    private readonly ILogger _logger;
    private readonly ReloadRequestListener _listener;
    private readonly PluginFolderWatcher? _watcher;
    private readonly IDisposable _target;

    private HotPluginUpdate(IPluginReloadTarget target, IDisposable owned, string sourceAssemblyPath, ReloadRequestListener listener, bool watchFolder,
        ILogger logger)
    {
        _target = owned;
        Host = target as VersionedPluginHost;
        _listener = listener;
        _logger = logger;
        _watcher = watchFolder
            ? new PluginFolderWatcher(sourceAssemblyPath, BuildQuietPeriod, ReloadForNewBuild)
            : null;
    }

    /// <summary>The in-process host the engine leases bindings from; null when data-task processes hold the plugin.</summary>
    public VersionedPluginHost? Host { get; }

    /// <summary>
    /// Starts hot update by process for a supervised run: the triggers reload <paramref name="versions"/>, which moves
    /// the run's data-task processes to the new build; null with a problem when the state folder cannot be used.
    /// </summary>
    public static HotPluginUpdate? TryStart(ProcessPluginVersions versions, string datasetName, CommandLine commandLine, ILogger logger,
        List<string> problems) =>
        TryListen(versions, versions, versions.First.SourceAssemblyPath, datasetName, commandLine, logger, problems);

    /// <summary>
    /// Starts hot update for the prepared dataset's plugin (prepared by <see cref="PreparedDataset.TryPrepareForRun"/>: its
    /// shadow copy, checked and loaded, becomes version 1); null with a problem when the state folder cannot be used.
    /// </summary>
    public static HotPluginUpdate? TryStart(PreparedDataset prepared, CommandLine commandLine, ILogger logger, List<string> problems)
    {
        var host = VersionedPluginHost.Adopt(prepared.HandOverPlugin(), prepared.Plugin!, prepared.Binding,
            (plugin, bindProblems) => PluginReaderBinding.TryCreate(prepared.Dataset, plugin, bindProblems),
            new VersionedPluginHostOptions { CheckBeforeLoad = path => PolicyRefusal(prepared.Dataset, path) }, logger);
        return TryListen(host, host, host.SourceAssemblyPath, prepared.Dataset.Name, commandLine, logger, problems);
    }

    private static HotPluginUpdate? TryListen(IPluginReloadTarget target, IDisposable owned, string sourceAssemblyPath, string datasetName,
        CommandLine commandLine, ILogger logger, List<string> problems)
    {
        ReloadRequestListener listener;
        try
        {
            listener = new ReloadRequestListener(target, new ReloadControlFolder(commandLine.StateDirectory, datasetName), logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            owned.Dispose();
            problems.Add($"--state: the dataset's control folder cannot be used: {e.Message}");
            return null;
        }

        return new HotPluginUpdate(target, owned, sourceAssemblyPath, listener, commandLine.WatchPlugins, logger);
    }

    // Every new build passes the same plugin policy as the first one did in prepare, so a reload is no way around it;
    // and, as there, the version loads only the files the scan read.
    private static PluginLoadCheck PolicyRefusal(Dataset dataset, string assemblyPath)
    {
        var problems = new List<string>();
        var policy = PluginPolicy.FromConfig(dataset.Config.PluginPolicy, problems);
        var scan = PluginPolicyScanner.Scan(assemblyPath, policy);
        problems.AddRange(scan.Problems().Select(p => $"policy: {p}"));
        return new PluginLoadCheck(problems.Count == 0 ? null : string.Join("; ", problems), scan.ManagedFiles);
    }

    private void ReloadForNewBuild()
    {
        try
        {
            _listener.RequestNow("new build in the plugin folder");
        }
        catch (ObjectDisposedException)
        {
            // The run ended while the build landed; a timer thread must not throw (it would end the process).
        }
    }

    /// <summary>Stops the triggers, unloads the last version (verified) and logs what hot update did.</summary>
    public void Dispose()
    {
        _watcher?.Dispose();
        _listener.Dispose();
        _target.Dispose();
        if (Host?.Metrics is { } metrics && (metrics.Reloads + metrics.ReloadsFailed > 0 || metrics.UnloadsFailed > 0))
        {
            _logger.LogInformation("plugin {Plugin}: hot update: {Metrics}", Host.PluginName, metrics);
        }
    }
}

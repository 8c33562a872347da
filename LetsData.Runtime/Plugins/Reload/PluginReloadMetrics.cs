namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// Counts what hot updates did: reloads, reloads refused (broken build), old versions whose unload was verified,
/// and old versions whose load context stayed alive (leaked). Thread-safe; read at any time.
/// </summary>
public sealed class PluginReloadMetrics
{
    private readonly Lock _gate = new();
    private readonly List<string> _leaked = [];
    private long _reloads;
    private long _reloadsFailed;
    private long _unloadsVerified;

    /// <summary>Reloads that made a new version current.</summary>
    public long Reloads => Interlocked.Read(ref _reloads);

    /// <summary>Reloads refused because the new build could not be loaded or bound; the old version stayed current.</summary>
    public long ReloadsFailed => Interlocked.Read(ref _reloadsFailed);

    /// <summary>Old versions unloaded and verified gone (their load context was collected).</summary>
    public long UnloadsVerified => Interlocked.Read(ref _unloadsVerified);

    /// <summary>Old versions whose load context was still alive after the bounded garbage-collection loop.</summary>
    public long UnloadsFailed
    {
        get
        {
            lock (_gate)
            {
                return _leaked.Count;
            }
        }
    }

    /// <summary>The leaked versions, as "<c>PluginName v3</c>", in the order they were found.</summary>
    public IReadOnlyList<string> LeakedVersions
    {
        get
        {
            lock (_gate)
            {
                return [.. _leaked];
            }
        }
    }

    internal void ReloadSucceeded() => Interlocked.Increment(ref _reloads);

    internal void ReloadFailed() => Interlocked.Increment(ref _reloadsFailed);

    internal void UnloadVerified() => Interlocked.Increment(ref _unloadsVerified);

    internal void UnloadFailed(string pluginName, int version)
    {
        lock (_gate)
        {
            _leaked.Add($"{pluginName} v{version}");
        }
    }

    /// <summary>One line for logs and summaries.</summary>
    public override string ToString() =>
        $"{Reloads} reload(s), {ReloadsFailed} refused, {UnloadsVerified} old version(s) unloaded (verified), {UnloadsFailed} leaked";
}

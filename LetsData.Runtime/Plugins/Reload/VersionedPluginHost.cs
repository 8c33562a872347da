using System.Runtime.CompilerServices;
using LetsData.Runtime.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// Hot code update for one plugin. Each version is loaded from a shadow copy of the plugin folder into its own
/// collectible context. Tasks lease the current version when they start (<see cref="Acquire"/>) and release it when
/// they end; <see cref="Reload"/> loads the folder's new build and makes it current for tasks that start afterwards,
/// while running tasks finish on the version they leased. When a replaced version's last lease ends it is unloaded and
/// the unload is verified (weak reference + bounded GC loop); a version that does not go away is logged with its name
/// and version and counted in <see cref="Metrics"/>, never silently kept.
/// </summary>
public sealed class VersionedPluginHost : IReaderBindingProvider, IPluginReloadTarget, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Lock _reloadGate = new();
    private readonly string _sourceAssemblyPath;
    private readonly Func<LoadedPlugin, List<string>, ReaderBinding?> _bind;
    private readonly VersionedPluginHostOptions _options;
    private readonly string _shadowRoot;
    private readonly ILogger _logger;
    private readonly List<Task> _unloads = [];
    private readonly List<PluginVersion> _loaded = [];
    private PluginVersion _current;
    private int _lastVersion;
    private bool _disposed;

    private VersionedPluginHost(string sourceAssemblyPath, Func<LoadedPlugin, List<string>, ReaderBinding?> bind,
        VersionedPluginHostOptions options, string shadowRoot, ILogger logger, PluginVersion? first = null)
    {
        _sourceAssemblyPath = sourceAssemblyPath;
        _bind = bind;
        _options = options;
        _shadowRoot = shadowRoot;
        _logger = logger;
        _current = first ?? LoadVersion(1, out var problem) ?? throw new PluginLoadException(sourceAssemblyPath, null, problem!);
        _loaded.Add(_current);
        _lastVersion = 1;
    }

    /// <summary>The plugin name (its main assembly's file name without <c>.dll</c>).</summary>
    public string PluginName => Path.GetFileNameWithoutExtension(_sourceAssemblyPath);

    /// <summary>The plugin's main assembly in the watched folder (never loaded itself; versions load from copies).</summary>
    public string SourceAssemblyPath => _sourceAssemblyPath;

    /// <summary>The version tasks that start now get: 1 for the first load, one more for each successful reload.</summary>
    public int CurrentVersion
    {
        get
        {
            lock (_gate)
            {
                return _current.Number;
            }
        }
    }

    /// <summary>Reloads, refused reloads, verified and failed unloads.</summary>
    public PluginReloadMetrics Metrics { get; } = new();

    /// <summary>Loads the first version of the plugin.</summary>
    /// <param name="pluginAssemblyPath">The plugin's main assembly in its (watched) folder.</param>
    /// <param name="bind">Resolves the dataset's classes in a loaded version; returns null and adds problems when it cannot (e.g. <c>PluginReaderBinding.TryCreate</c>).</param>
    /// <param name="options">Shadow-copy folder and unload verification limits; null for the defaults.</param>
    /// <param name="logger">Receives reloads, refusals, verified unloads and leaks; null: not logged.</param>
    /// <exception cref="PluginLoadException">The first version could not be loaded or bound.</exception>
    public static VersionedPluginHost Start(string pluginAssemblyPath, Func<LoadedPlugin, List<string>, ReaderBinding?> bind,
        VersionedPluginHostOptions? options = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginAssemblyPath);
        ArgumentNullException.ThrowIfNull(bind);
        options ??= new VersionedPluginHostOptions();
        return new VersionedPluginHost(Path.GetFullPath(pluginAssemblyPath), bind, options, ShadowRoot(options), logger ?? NullLogger.Instance);
    }

    /// <summary>
    /// Starts the host with a first version that was already copied, checked and loaded (<c>run</c>'s prepare loads the
    /// plugin from its first shadow copy, so start-up copies, policy-scans and loads the plugin once). The host owns the
    /// plugin and the copy from now on.
    /// </summary>
    /// <param name="copy">The first version's shadow copy, made under <see cref="ShadowRoot"/>; the plugin was checked and loaded from it.</param>
    /// <param name="plugin">The plugin loaded from <paramref name="copy"/>.</param>
    /// <param name="binding">The dataset's classes bound in <paramref name="plugin"/>.</param>
    /// <param name="bind">Binds each later version (see <see cref="Start"/>).</param>
    /// <param name="options">Checks and unload limits for later versions; later versions are copied next to <paramref name="copy"/> (its <see cref="VersionedPluginHostOptions.ShadowRoot"/> is not used).</param>
    /// <param name="logger">Receives reloads, refusals, verified unloads and leaks.</param>
    internal static VersionedPluginHost Adopt(PluginShadowCopy copy, LoadedPlugin plugin, ReaderBinding binding,
        Func<LoadedPlugin, List<string>, ReaderBinding?> bind, VersionedPluginHostOptions options, ILogger logger)
    {
        var first = new PluginVersion(1, plugin, binding, copy);
        var host = new VersionedPluginHost(copy.SourceAssemblyPath, bind, options, Path.GetDirectoryName(copy.Folder)!, logger, first);
        host.LogLoaded(first);
        return host;
    }

    /// <summary>The folder shadow copies go under: the options' one, else a new folder of this process in this user's private working folder.</summary>
    internal static string ShadowRoot(VersionedPluginHostOptions options)
    {
        if (options.ShadowRoot is { } root)
        {
            return root;
        }

        var parent = Confinement.PrivateWorkFolder.Root;
        OrphanedShadowCopies.Remove(parent);
        return Path.Combine(parent, $"{Environment.ProcessId}-shadow-{Guid.NewGuid().ToString("N")[..8]}");
    }

    /// <summary>Leases the current version for one task; dispose the lease when the task ends.</summary>
    /// <exception cref="ObjectDisposedException">The host was disposed.</exception>
    public ReaderBindingLease Acquire()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var version = _current;
            version.Leases++;
            return new ReaderBindingLease(version.Binding!, () => Release(version));
        }
    }

    /// <summary>
    /// Loads the plugin folder's current build as a new version and makes it current. When it cannot be loaded or
    /// bound (missing class, wrong contract, half-written build) the old version stays current and the result says why.
    /// Reloads are serialized; running tasks are not disturbed.
    /// </summary>
    public PluginReloadResult Reload()
    {
        lock (_reloadGate)
        {
            int number;
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                number = _lastVersion + 1;
            }

            PluginVersion? loaded;
            string? problem;
            try
            {
                loaded = LoadVersion(number, out problem);
            }
            catch (Exception e)
            {
                // Whatever a broken build makes loading throw, the worker keeps the version it has.
                loaded = null;
                problem = $"{e.GetType().Name}: {e.Message}";
            }

            PluginVersion old;
            lock (_gate)
            {
                if (loaded is null || _disposed)
                {
                    Metrics.ReloadFailed();
                    var kept = _current.Number;
                    var reason = problem ?? "the host was disposed during the reload";
                    _logger.LogError("plugin {Plugin}: reload refused, version {Version} stays current: {Reason}", PluginName, kept, reason);
                    if (loaded is not null)
                    {
                        RetireAndMaybeUnload(loaded);
                    }

                    return new PluginReloadResult(false, kept, $"plugin {PluginName}: reload refused, version {kept} stays current: {reason}");
                }

                _lastVersion = number;
                _loaded.Add(loaded);
                old = _current;
                _current = loaded;
                Metrics.ReloadSucceeded();
                RetireAndMaybeUnload(old);
            }

            var message = $"plugin {PluginName}: version {number} loaded and current; version {old.Number} unloads when its running tasks end";
            _logger.LogInformation("{Message}", message);
            return new PluginReloadResult(true, number, message);
        }
    }

    /// <summary>Completes when every unload started so far has been verified or reported as leaked.</summary>
    public Task WhenUnloadsSettledAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_unloads.ToArray());
        }
    }

    /// <summary>Retires the current version, waits for the unloads of versions no task holds, and removes the shadow copies.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            RetireAndMaybeUnload(_current);
            ReportVersionsStillInUse();
        }

        WhenUnloadsSettledAsync().GetAwaiter().GetResult();
        if (Metrics.UnloadsFailed == 0)
        {
            PluginShadowCopy.TryDeleteFolder(_shadowRoot);
        }
    }

    private PluginVersion? LoadVersion(int number, out string? problem)
    {
        PluginShadowCopy copy;
        try
        {
            copy = PluginShadowCopy.Create(_sourceAssemblyPath, _shadowRoot, number);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"the plugin folder could not be copied: {e.Message}";
            return null;
        }

        var check = _options.CheckBeforeLoad?.Invoke(copy.AssemblyPath);
        if (check?.Refusal is { } refusal)
        {
            copy.TryDelete();
            problem = copy.NameTheSource(refusal);
            return null;
        }

        LoadedPlugin plugin;
        try
        {
            plugin = PluginLoader.Load(copy.AssemblyPath, check?.LoadableFiles);
        }
        catch (PluginLoadException e)
        {
            copy.TryDelete();
            problem = copy.NameTheSource(e.Reason);
            return null;
        }

        var problems = new List<string>();
        var binding = _bind(plugin, problems);
        if (binding is null || problems.Count > 0)
        {
            plugin.Unload();
            copy.TryDelete();
            problem = problems.Count > 0 ? copy.NameTheSource(string.Join("; ", problems)) : "the plugin's classes could not be bound";
            return null;
        }

        problem = null;
        var version = new PluginVersion(number, plugin, binding, copy);
        LogLoaded(version);
        return version;
    }

    private void LogLoaded(PluginVersion version) =>
        _logger.LogInformation("plugin {Plugin}: version {Version} loaded from a shadow copy ({Folder}) in {LoadMs:F0} ms",
            PluginName, version.Number, version.Copy.Folder, version.Plugin!.LoadTime.TotalMilliseconds);

    private void Release(PluginVersion version)
    {
        lock (_gate)
        {
            version.Leases--;
            if (version.Retired && version.Leases == 0)
            {
                StartUnload(version);
            }
        }
    }

    // Called under _gate, at shutdown. A version still leased now is held by a task that never ended (abandoned in a
    // plugin call that did not return, or still running when the run gave up on it): it cannot unload, and says so.
    private void ReportVersionsStillInUse()
    {
        foreach (var version in _loaded.Where(v => !v.UnloadStarted && v.Leases > 0))
        {
            Metrics.UnloadFailed(PluginName, version.Number);
            _logger.LogError(
                "plugin {Plugin}: version {Version} cannot unload: {Leases} task(s) still hold it at shutdown (a plugin call that never returned, or a task still running)",
                PluginName, version.Number, version.Leases);
        }
    }

    // Called under _gate.
    private void RetireAndMaybeUnload(PluginVersion version)
    {
        version.Retired = true;
        if (version.Leases == 0)
        {
            StartUnload(version);
        }
    }

    // Called under _gate. Verification runs on a pool thread: not on the task thread that released the last lease,
    // whose stack may still hold plugin objects, and without holding up the next task.
    private void StartUnload(PluginVersion version)
    {
        if (version.UnloadStarted)
        {
            return;
        }

        version.UnloadStarted = true;
        _unloads.Add(Task.Run(() => UnloadAndVerify(version)));
    }

    private void UnloadAndVerify(PluginVersion version)
    {
        var context = BeginUnload(version);
        var (collected, collections) = UnloadVerifier.WaitUntilCollected(context, _options.MaxUnloadCollections, _options.UnloadCollectionPause);
        if (collected)
        {
            Metrics.UnloadVerified();
            version.Copy.TryDelete();
            _logger.LogInformation("plugin {Plugin}: version {Version} unloaded (verified after {Collections} garbage collection(s))",
                PluginName, version.Number, collections);
            return;
        }

        Metrics.UnloadFailed(PluginName, version.Number);
        _logger.LogError(
            "plugin {Plugin}: version {Version} did not unload: its load context is still alive after {Collections} garbage collections. " +
            "Something outside the plugin still references its objects (a static registry or cache, a thread or timer it started, a pending callback); " +
            "the version stays in memory until the worker restarts",
            PluginName, version.Number, collections);
    }

    // Not inlined, so no local of the verifying frame (the JIT may extend their lifetime) keeps the plugin reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference BeginUnload(PluginVersion version)
    {
        LoadedPlugin plugin;
        lock (_gate)
        {
            plugin = version.Plugin!;
            version.Plugin = null;
            version.Binding = null;
            _loaded.Remove(version);
        }

        return plugin.Unload();
    }
}

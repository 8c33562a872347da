using LetsData.Runtime.Plugins.Reload;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// Hot update by process, the supervisor's side: each version of a local plugin is a private copy of its folder (the
/// dropped files are never loaded, so a new build may overwrite them). A reload copies the folder again, has a
/// data-task process check the copy (load, reader classes, smoke run), and only then makes it current: new data-task
/// processes start from it and the old ones end after their running task. Unloading a version is its processes' exit.
/// </summary>
internal sealed class ProcessPluginVersions : IPluginReloadTarget, IDisposable
{
    private readonly string _root;
    private readonly Func<string, IReadOnlyList<string>> _check;
    private readonly Action<string> _use;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private int _version = 1;
    private int _disposed;

    private ProcessPluginVersions(PluginShadowCopy first, string root, Func<string, IReadOnlyList<string>> check, Action<string> use, ILogger logger)
    {
        First = first;
        _root = root;
        _check = check;
        _use = use;
        _logger = logger;
    }

    /// <summary>Version 1: the copy the run starts with.</summary>
    public PluginShadowCopy First { get; }

    public string PluginName => Path.GetFileNameWithoutExtension(First.SourceAssemblyPath);

    /// <summary>Copies the plugin's folder as version 1; null with a problem when it cannot be copied.</summary>
    /// <param name="sourceAssembly">The plugin's main assembly as the dataset names it.</param>
    /// <param name="root">A private folder for the copies (removed with them).</param>
    /// <param name="check">Checks a copy in a data-task process; its problems (none: usable).</param>
    /// <param name="use">Makes a checked copy the one new data-task processes load.</param>
    /// <param name="logger">Receives reloads.</param>
    /// <param name="problems">Receives the problem.</param>
    public static ProcessPluginVersions? TryCreate(string sourceAssembly, string root, Func<string, IReadOnlyList<string>> check,
        Action<string> use, ILogger logger, List<string> problems)
    {
        try
        {
            return new ProcessPluginVersions(PluginShadowCopy.Create(Path.GetFullPath(sourceAssembly), root, 1), root, check, use, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"readConnector.artifactFile: the plugin folder could not be copied: {e.Message}");
            return null;
        }
    }

    public PluginReloadResult Reload()
    {
        lock (_gate)
        {
            var number = _version + 1;
            PluginShadowCopy copy;
            try
            {
                copy = PluginShadowCopy.Create(First.SourceAssemblyPath, _root, number);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return Refused($"the plugin folder could not be copied: {e.Message}");
            }

            var problems = _check(copy.AssemblyPath);
            if (problems.Count > 0)
            {
                copy.TryDelete();
                return Refused(string.Join("; ", problems.Select(copy.NameTheSource)));
            }

            _use(copy.AssemblyPath);
            var old = _version;
            _version = number;
            var message = $"plugin {PluginName}: version {number} loaded and current; the data-task processes of version {old} end after their running task";
            _logger.LogInformation("{Message}", message);
            return new PluginReloadResult(true, number, message);
        }
    }

    private PluginReloadResult Refused(string reason)
    {
        _logger.LogError("plugin {Plugin}: reload refused, version {Version} stays current: {Reason}", PluginName, _version, reason);
        return new PluginReloadResult(false, _version, $"plugin {PluginName}: reload refused, version {_version} stays current: {reason}");
    }

    /// <summary>
    /// Removes every copy (the run's data-task processes have ended). Once: both the run and its hot update, which
    /// takes it over, dispose it.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            PluginShadowCopy.TryDeleteFolder(_root);
        }
    }
}

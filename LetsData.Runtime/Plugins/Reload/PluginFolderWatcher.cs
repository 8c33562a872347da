namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// Watches a plugin folder and calls back once a new build has landed. A build (or a copy) writes several files one
/// after another, so every change restarts a quiet period; the callback runs when the folder has been quiet for that
/// long and the main assembly can be opened with no writer holding it. A folder left without its main assembly
/// waits for the next change.
/// </summary>
public sealed class PluginFolderWatcher : IDisposable
{
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _timer;
    private readonly string _assemblyPath;
    private readonly TimeSpan _quietPeriod;
    private readonly Action _onBuildLanded;
    private int _disposed;

    /// <summary>Starts watching the folder of <paramref name="pluginAssemblyPath"/> (and its subfolders).</summary>
    /// <param name="pluginAssemblyPath">The plugin's main assembly.</param>
    /// <param name="quietPeriod">How long the folder must see no change before the build counts as complete.</param>
    /// <param name="onBuildLanded">Called on a timer thread, once per settled burst of changes.</param>
    public PluginFolderWatcher(string pluginAssemblyPath, TimeSpan quietPeriod, Action onBuildLanded)
    {
        ArgumentNullException.ThrowIfNull(onBuildLanded);
        _assemblyPath = Path.GetFullPath(pluginAssemblyPath);
        _quietPeriod = quietPeriod;
        _onBuildLanded = onBuildLanded;
        _timer = new Timer(_ => OnQuiet(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(_assemblyPath)!)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
        };
        _watcher.Changed += (_, _) => Restart();
        _watcher.Created += (_, _) => Restart();
        _watcher.Deleted += (_, _) => Restart();
        _watcher.Renamed += (_, _) => Restart();
        // Events were lost (buffer overflow): something changed, so treat it as a change.
        _watcher.Error += (_, _) => Restart();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Stops watching; a pending callback does not run.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _watcher.Dispose();
        _timer.Dispose();
    }

    private void Restart()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _timer.Change(_quietPeriod, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the check and the call.
            }
        }
    }

    private void OnQuiet()
    {
        if (Volatile.Read(ref _disposed) == 1 || !File.Exists(_assemblyPath))
        {
            return;
        }

        if (!CanOpenUnshared(_assemblyPath))
        {
            // Still being written (a writer holds it): look again after another quiet period.
            Restart();
            return;
        }

        _onBuildLanded();
    }

    private static bool CanOpenUnshared(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

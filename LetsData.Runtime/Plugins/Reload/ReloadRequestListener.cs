using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// Worker side of <c>letsdata plugins reload</c>: watches the dataset's control folder for a reload request, reloads
/// the host and writes the outcome where the command waits for it. Also offers <see cref="RequestNow"/> for in-process
/// triggers (the folder watcher), so every trigger goes through one serialized path.
/// </summary>
public sealed class ReloadRequestListener : IDisposable
{
    private readonly IPluginReloadTarget _host;
    private readonly ReloadControlFolder _control;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;

    /// <summary>Claims the control folder for this worker and starts listening.</summary>
    /// <param name="host">The plugin host to reload.</param>
    /// <param name="control">The dataset's control folder.</param>
    /// <param name="logger">Receives the trigger of each reload.</param>
    public ReloadRequestListener(IPluginReloadTarget host, ReloadControlFolder control, ILogger logger)
    {
        _host = host;
        _control = control;
        _logger = logger;
        control.ClaimForWorker();
        _watcher = new FileSystemWatcher(control.Folder, ReloadControlFolder.RequestFileName)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite,
        };
        // The command renames its request into place, which shows up as Renamed (or Created on some platforms).
        _watcher.Created += (_, _) => OnRequestFile();
        _watcher.Renamed += (_, _) => OnRequestFile();
        _watcher.Changed += (_, _) => OnRequestFile();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Reloads now because of <paramref name="trigger"/> (logged); returns the outcome.</summary>
    public PluginReloadResult RequestNow(string trigger)
    {
        _logger.LogInformation("plugin {Plugin}: reload requested ({Trigger})", _host.PluginName, trigger);
        return _host.Reload();
    }

    /// <summary>Stops listening and removes the worker's pid file.</summary>
    public void Dispose()
    {
        _watcher.Dispose();
        _control.ReleaseWorker();
    }

    private void OnRequestFile()
    {
        // Several events arrive for one request; only the first finds the file (TakeRequest consumes it).
        lock (_watcher)
        {
            if (_control.TakeRequest() is not { } id)
            {
                return;
            }

            PluginReloadResult result;
            try
            {
                result = RequestNow("letsdata plugins reload");
            }
            catch (ObjectDisposedException)
            {
                result = new PluginReloadResult(false, 0, "the worker is shutting down");
            }

            _control.WriteResult(id, result);
        }
    }
}

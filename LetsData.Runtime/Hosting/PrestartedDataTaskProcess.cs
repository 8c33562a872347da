using LetsData.Runtime.Confinement;
using LetsData.Runtime.DataTasks;
using LetsData.Runtime.Operations;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// The first data-task process, started before the supervisor has read the dataset: where processes are confined
/// (Linux), its confinement stage is spawned at <see cref="Begin"/> and its runtime boots while the supervisor reads the
/// dataset, copies the plugin and opens the task state; <see cref="Start"/> then sends it its policy (known only once the
/// dataset is read) and it becomes the data-task process. It waits for its start message, which
/// <see cref="DataTaskSupervisor"/> sends when it takes the process. Disposed untaken (the run stopped before the
/// tasks), it is killed.
/// </summary>
internal sealed class PrestartedDataTaskProcess : IDisposable
{
    private Task<DataTaskProcess>? _early;
    private DataTaskProcess? _process;

    private PrestartedDataTaskProcess()
    {
    }

    public ProcessLines Lines { get; } = new(null);

    /// <summary>The plugin the process loads; null before <see cref="Start"/>.</summary>
    public string? PluginAssembly { get; private set; }

    /// <summary>Spawns the confinement stage of data-task process 1 now, off the calling thread (where processes are confined).</summary>
    public static PrestartedDataTaskProcess Begin()
    {
        var prestarted = new PrestartedDataTaskProcess();
        if (ProcessConfinement.IsSupported)
        {
            prestarted._early = Task.Run(() => DataTaskProcess.StartAwaitingConfinement(1, prestarted.Lines.Relay));
        }

        return prestarted;
    }

    /// <summary>
    /// Makes it data-task process 1 of <paramref name="launch"/> for <paramref name="pluginAssembly"/>: the early stage gets
    /// its policy (and, with <c>ahead</c>, the dataset and plugin it may prepare before its start message), or —
    /// unconfined, or when the early start failed — the process is started here as any other.
    /// </summary>
    public void Start(DataTaskLaunch launch, string pluginAssembly, TaskLogFiles? taskLogs, PreparationAhead.Target? ahead = null)
    {
        Lines.TaskLogs = taskLogs;
        PluginAssembly = pluginAssembly;
        var early = TakeEarly();
        if (early is not null && launch.Confines)
        {
            early.Confine(launch, pluginAssembly, ahead is null ? null : PreparationAhead.Variables(ahead));
            _process = early;
            return;
        }

        early?.Dispose();
        _process = DataTaskProcess.Start(launch, 1, pluginAssembly, Lines.Relay);
    }

    /// <summary>The process, once, when it was started for <paramref name="pluginAssembly"/> (a hot update since means a new one).</summary>
    public DataTaskProcess? TryTake(string pluginAssembly)
    {
        if (pluginAssembly != PluginAssembly)
        {
            return null;
        }

        return Interlocked.Exchange(ref _process, null);
    }

    private DataTaskProcess? TakeEarly()
    {
        var early = Interlocked.Exchange(ref _early, null);
        try
        {
            return early?.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            // Started again the ordinary way, which reports the problem if it persists.
            return null;
        }
    }

    public void Dispose()
    {
        TakeEarly()?.Dispose();
        Interlocked.Exchange(ref _process, null)?.Dispose();
    }
}

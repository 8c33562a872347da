using LetsData.Runtime.DataTasks;
using LetsData.Runtime.Operations;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// The first data-task process, started as soon as its plugin copy exists: its runtime boots (twice, with the
/// confinement stage) while the supervisor opens the task state and sets up the run, instead of after. It waits for its
/// start message, which <see cref="DataTaskSupervisor"/> sends when it takes the process. Disposed untaken (the run
/// stopped before the tasks), it is killed.
/// </summary>
internal sealed class PrestartedDataTaskProcess : IDisposable
{
    private DataTaskProcess? _process;

    private PrestartedDataTaskProcess(DataTaskProcess process, ProcessLines lines, string pluginAssembly)
    {
        _process = process;
        Lines = lines;
        PluginAssembly = pluginAssembly;
    }

    public ProcessLines Lines { get; }

    public string PluginAssembly { get; }

    /// <summary>Starts data-task process 1 for <paramref name="pluginAssembly"/>.</summary>
    public static PrestartedDataTaskProcess Start(DataTaskLaunch launch, string pluginAssembly, TaskLogFiles? taskLogs)
    {
        var lines = new ProcessLines(taskLogs);
        return new PrestartedDataTaskProcess(DataTaskProcess.Start(launch, 1, pluginAssembly, lines.Relay), lines, pluginAssembly);
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

    public void Dispose() => Interlocked.Exchange(ref _process, null)?.Dispose();
}

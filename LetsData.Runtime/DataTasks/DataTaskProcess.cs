using System.Diagnostics;
using LetsData.Runtime.DataTasks.Control;

namespace LetsData.Runtime.DataTasks;

/// <summary>
/// The supervisor's handle on one data-task process: started with <see cref="DataTaskLaunch"/>'s command and
/// environment, talked to over its standard input and output, its standard error relayed to the supervisor's log with
/// the last lines kept (a crash's own words go into the task's error), killed when it must be.
/// </summary>
internal sealed class DataTaskProcess : IDisposable
{
    private const int TailLines = 12;

    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly Task _stderr;
    private readonly string _privateFolder;

    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _callSite;

    private DataTaskProcess(Process process, string name, string privateFolder, Microsoft.Win32.SafeHandles.SafeFileHandle callSite, Action<string> relay)
    {
        _callSite = callSite;
        _process = process;
        _privateFolder = privateFolder;
        Name = name;
        Channel = new ControlChannel(process.StandardOutput.BaseStream, process.StandardInput.BaseStream);
        _stderr = RelayStandardErrorAsync(relay);
    }

    /// <summary>The process's home and temp folder (removed when this handle is disposed).</summary>
    public string PrivateFolder => _privateFolder;

    /// <summary>
    /// The plugin call the process was in when it died, from its black box (<see cref="Engine.CallSiteMirror"/>), read
    /// through the handle this supervisor opened before the process started: never by name, which plugin code can
    /// point anywhere (a FIFO, /dev/zero, a file only the supervisor may read).
    /// </summary>
    public string? LastCall
    {
        get
        {
            var bytes = new byte[Engine.CallSiteMirror.Size];
            try
            {
                var read = RandomAccess.Read(_callSite, bytes, 0);
                return Engine.CallSiteMirror.Describe(bytes.AsSpan(0, read));
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                return null;
            }
        }
    }

    /// <summary>Names the process in log lines: <c>data-task 2 (pid 1234)</c>.</summary>
    public string Name { get; }

    public ControlChannel Channel { get; }

    public int Id => _process.Id;

    /// <summary>Starts a data-task process that loads <paramref name="pluginAssembly"/>; <paramref name="relay"/> gets each line of its standard error (its log).</summary>
    /// <exception cref="System.ComponentModel.Win32Exception">The worker binary could not be started.</exception>
    public static DataTaskProcess Start(DataTaskLaunch launch, int number, string pluginAssembly, Action<string> relay) =>
        Start(launch.CreatePrivateFolder($"data-task-{number}"), number, folder => launch.StartInfo(folder, pluginAssembly), relay);

    /// <summary>
    /// Starts process <paramref name="number"/>'s confinement stage before the dataset is read (the runtime boots
    /// meanwhile); it waits for <see cref="Confine"/>. Only where <see cref="Confinement.ProcessConfinement.IsSupported"/>.
    /// </summary>
    public static DataTaskProcess StartAwaitingConfinement(int number, Action<string> relay) =>
        Start(DataTaskLaunch.CreatePrivateFolder(Confinement.PrivateWorkFolder.Root, $"data-task-{number}"), number, DataTaskLaunch.EarlyStartInfo, relay);

    private static DataTaskProcess Start(string privateFolder, int number, Func<string, ProcessStartInfo> startInfo, Action<string> relay)
    {
        var callSite = File.OpenHandle(Path.Combine(privateFolder, Engine.CallSiteMirror.FileName), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.ReadWrite);
        RandomAccess.SetLength(callSite, Engine.CallSiteMirror.Size);
        var start = startInfo(privateFolder);
        var spawned = Stopwatch.GetTimestamp();
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start");
        return new DataTaskProcess(process, $"data-task {number} (pid {process.Id})", privateFolder, callSite, relay) { SpawnedTimestamp = spawned };
    }

    /// <summary>
    /// Sends a process from <see cref="StartAwaitingConfinement"/> its policy and environment for <paramref name="pluginAssembly"/>:
    /// it confines itself and becomes the data-task process, which then reads its start message from the channel.
    /// </summary>
    public void Confine(DataTaskLaunch launch, string pluginAssembly, IReadOnlyDictionary<string, string>? moreEnvironment = null)
    {
        var input = _process.StandardInput.BaseStream;
        input.Write(launch.ConfinementFrame(_privateFolder, pluginAssembly, moreEnvironment));
        input.Flush();
    }

    /// <summary>When (<see cref="Stopwatch.GetTimestamp"/>) the supervisor started the process, for <c>run --timings</c>.</summary>
    public long SpawnedTimestamp { get; private init; }

    /// <summary>Ends when the process has exited and its standard error is read to the end (or 2 s after the exit).</summary>
    public async Task WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The rest of its standard error, unless something that inherited it keeps it open.
            await _stderr.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>How the process ended and the last lines it wrote, for a task's error message.</summary>
    public string DescribeExit()
    {
        var code = _process.ExitCode;
        var how = code > 128 && !OperatingSystem.IsWindows() ? $"killed by signal {code - 128}{SignalName(code - 128)}" : $"exit code {code}";
        string[] tail;
        lock (_tail)
        {
            tail = [.. _tail];
        }

        var words = tail.Length == 0 ? "" : $"; its last output: {string.Join(" | ", tail.Select(l => l.Length > 300 ? l[..300] + "…" : l))}";
        return how + words;
    }

    /// <summary>Kills the process (SIGKILL): the only real way to stop plugin code that does not return.</summary>
    public void Kill()
    {
        try
        {
            // The tree walk reads every process's /proc entry; an exited process has no children left to find (they
            // were handed to init when it ended), and most processes this is called for ended on their own.
            if (_process.HasExited)
            {
                return;
            }

            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static string SignalName(int signal) => signal switch
    {
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        15 => " (SIGTERM)",
        _ => "",
    };

    private async Task RelayStandardErrorAsync(Action<string> relay)
    {
        var reader = _process.StandardError;
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            lock (_tail)
            {
                if (_tail.Count == TailLines)
                {
                    _tail.Dequeue();
                }

                _tail.Enqueue(line);
            }

            relay(line);
        }
    }

    public void Dispose()
    {
        Kill();
        Channel.Dispose();
        _process.Dispose();
        _callSite.Dispose();
        try
        {
            Directory.Delete(_privateFolder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A folder the process still had open; the next run's clean-up of the temp root takes it.
        }
    }
}

using System.Diagnostics;
using System.Text.Json;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// One running host process (Python or Node) serving one project folder over its standard input and output. Not
/// thread-safe: one caller at a time (the pool hands a host to one task call at a time). Killed when disposed.
/// </summary>
internal sealed class BridgeHost : IDisposable
{
    private const int KeptErrorLines = 8;

    private readonly Process _process;
    private readonly Stream _input;
    private readonly Stream _output;
    private readonly Queue<string> _lastErrorLines = new();
    private readonly string _description;

    private BridgeHost(Process process, string description)
    {
        _process = process;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput.BaseStream;
        _description = description;
    }

    /// <summary>False once the process has ended (or the protocol broke).</summary>
    public bool IsAlive { get; private set; } = true;

    /// <summary>Starts the host for <paramref name="project"/> with a clean environment (HOME and TMPDIR the given folder).</summary>
    /// <exception cref="BridgeHostException">The interpreter is missing or the process cannot start.</exception>
    /// <param name="project">The project to serve.</param>
    /// <param name="relay">Receives each line the host writes to standard error.</param>
    /// <param name="dieWithStarter">
    /// The host ends when the thread that starts it ends (Linux parent-death signal; the Python host only): for a thread
    /// that lives as long as the process, so that a host stuck in user code does not outlive a process that exits.
    /// </param>
    public static BridgeHost Start(BridgeProject project, Action<string>? relay, bool dieWithStarter = false)
    {
        var interpreter = project.Language.FindInterpreter()
            ?? throw new BridgeHostException($"no {(project.Language == BridgeLanguage.Python ? "python3" : "node")} found (in /usr/bin, /usr/local/bin, PATH, or {string.Join("/", BridgeLanguages.InterpreterVariables)})");
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = project.Folder,
        };
        if (project.Language == BridgeLanguage.Python)
        {
            start.ArgumentList.Add("-B"); // no __pycache__ written into the project
        }

        start.ArgumentList.Add(project.Language.HostScript());
        start.ArgumentList.Add(project.Folder);
        // The user's code gets no worker secret: nothing is inherited but the locale and a private home.
        start.Environment.Clear();
        var home = Environment.GetEnvironmentVariable("TMPDIR") is { Length: > 0 } tmp ? tmp : Path.GetTempPath();
        start.Environment["HOME"] = home;
        start.Environment["TMPDIR"] = home;
        start.Environment["LANG"] = "C.UTF-8";
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment["LETS_DATA_STAGE"] = "Prod";
        if (dieWithStarter)
        {
            start.Environment["LETSDATA_BRIDGE_DIE_WITH_PARENT"] = "1";
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new BridgeHostException($"{interpreter} did not start");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new BridgeHostException($"{interpreter} could not start: {e.Message}");
        }

        var host = new BridgeHost(process, $"{project.Language.Name()} host (pid {process.Id}) for {project.Folder}");
        process.ErrorDataReceived += (_, e) => host.OnErrorLine(e.Data, relay);
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Sends one request and returns the host's response (a JSON object).</summary>
    /// <param name="request">The request's JSON.</param>
    /// <param name="what">What is being called, for messages (e.g. <c>SingleFileParser.parseDocument</c>).</param>
    /// <exception cref="BridgeHostException">The host died or answered something that is not a frame.</exception>
    public JsonElement Send(ReadOnlySpan<byte> request, string what)
    {
        byte[]? response;
        try
        {
            BridgeFraming.Write(_input, request);
            response = BridgeFraming.Read(_output);
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            throw Died(what, e.Message);
        }

        if (response is null)
        {
            throw Died(what, null);
        }

        try
        {
            using var document = JsonDocument.Parse(response);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw Died(what, $"its answer is not JSON: {e.Message}");
        }
    }

    private BridgeHostException Died(string what, string? detail)
    {
        IsAlive = false;
        var exit = _process.WaitForExit(TimeSpan.FromSeconds(2)) ? $"exit code {_process.ExitCode}" : "still running; killed";
        Kill();
        string[] lines;
        lock (_lastErrorLines)
        {
            lines = [.. _lastErrorLines];
        }

        var said = lines.Length == 0 ? "" : $"; its last words: {string.Join(" | ", lines)}";
        return new BridgeHostException($"the {_description} died during {what} ({exit}{(detail is null ? "" : $", {detail}")}){said}");
    }

    private void OnErrorLine(string? line, Action<string>? relay)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastErrorLines)
        {
            _lastErrorLines.Enqueue(line);
            if (_lastErrorLines.Count > KeptErrorLines)
            {
                _lastErrorLines.Dequeue();
            }
        }

        relay?.Invoke(line);
    }

    private void Kill()
    {
        try
        {
            // Not the tree: listing it reads other processes' /proc entries, which a confined process cannot see.
            _process.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        IsAlive = false;
        Kill();
        _process.Dispose();
    }
}

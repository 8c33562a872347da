using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// One emulator process of a single test (never the shared ones of <see cref="Emulators"/>): started on a free
/// 127.0.0.1 port with its data in a folder of its own, killed with SIGKILL mid-run and started again on the same port
/// and folder, so a client that keeps its endpoint finds the same data again. Disposing kills the process (and
/// anything it started) and deletes the data folder, so a failing test leaks nothing.
/// </summary>
internal sealed class RestartableEmulator : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly string _name;
    private readonly IReadOnlyList<string> _arguments;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private RestartableEmulator(string name, int port, string dataDirectory, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, int? streamsPort = null)
    {
        _name = name;
        Port = port;
        DataDirectory = dataDirectory;
        _arguments = arguments;
        _environment = environment ?? new Dictionary<string, string>();
        StreamsPort = streamsPort;
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>The DynamoDB Streams port of <see cref="DynamoDBWithStreams"/>; null for the others.</summary>
    public int? StreamsPort { get; }

    public Uri StreamsEndpoint => new($"http://127.0.0.1:{StreamsPort ?? throw new InvalidOperationException($"{_name} has no streams port")}/");

    /// <summary>Where the emulator keeps its data; it outlives a kill, which is what makes a restart find it again.</summary>
    public string DataDirectory { get; }

    /// <summary>Whether the process was started and has not exited (or been killed) since.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>How many times the process was started (1 after <see cref="StartAsync"/>, 2 after one restart).</summary>
    public int Starts { get; private set; }

    /// <summary>s3rver (through our aws-chunked wrapper) with its objects as files under the data folder.</summary>
    public static RestartableEmulator S3(params string[] buckets)
    {
        var (port, data) = (FreePort(), NewDataDirectory("s3"));
        var arguments = new List<string> { "--openssl-legacy-provider", Path.Combine(PackageDirectory, "s3rver-local.js"), "--directory", data, "--port", PortText(port), "--silent" };
        foreach (var bucket in buckets)
        {
            arguments.AddRange(["--bucket", bucket]);
        }

        return new RestartableEmulator("s3rver", port, data, arguments);
    }

    /// <summary>kinesalite on 127.0.0.1 with a LevelDB store (<c>--path</c>), so streams and records survive a restart.</summary>
    public static RestartableEmulator Kinesis()
    {
        var (port, data) = (FreePort(), NewDataDirectory("kinesis"));
        return new RestartableEmulator("kinesalite", port, data,
        [
            Path.Combine(PackageDirectory, "local-emulator.js"), "kinesalite", "--port", PortText(port), "--path", data,
            "--createStreamMs", "0", "--deleteStreamMs", "0", "--updateStreamMs", "0", "--shardLimit", "100",
        ]);
    }

    /// <summary>dynalite with a LevelDB store (<c>--path</c>), so tables and items survive a restart.</summary>
    public static RestartableEmulator DynamoDB()
    {
        var (port, data) = (FreePort(), NewDataDirectory("dynamodb"));
        return new RestartableEmulator("dynalite", port, data,
        [
            Path.Combine(PackageDirectory, "local-emulator.js"), "dynalite", "--port", PortText(port), "--path", data,
            "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0",
        ]);
    }

    /// <summary>
    /// dynalite behind scripts/emulators/dynalite-streams.js, its DynamoDB Streams on a second port, closing a stream
    /// shard and opening its child after every <paramref name="shardRecords"/> records (EMU_DDB_STREAM_SHARD_RECORDS).
    /// </summary>
    public static RestartableEmulator DynamoDBWithStreams(int shardRecords)
    {
        var (port, streamsPort, data) = (FreePort(), FreePort(), NewDataDirectory("dynamodb-streams"));
        return new RestartableEmulator("dynalite", port, data,
        [
            Path.Combine(PackageDirectory, "local-emulator.js"), "dynalite", "--port", PortText(port), "--path", data,
            "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0", "--streamsPort", PortText(streamsPort),
        ],
        new Dictionary<string, string> { ["EMU_DDB_STREAM_SHARD_RECORDS"] = PortText(shardRecords) }, streamsPort);
    }

    /// <summary>Starts the process and returns once its port accepts connections.</summary>
    public async Task StartAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"{_name} on port {Port} is already running");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in _arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment)
        {
            start.Environment[name] = value;
        }

        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => AppendLog(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Starts++;
        AppendLog($"--- start {Starts} (pid {process.Id})");
        await WaitUntilListeningAsync(process, Port).ConfigureAwait(false);
        if (StreamsPort is { } streamsPort)
        {
            await WaitUntilListeningAsync(process, streamsPort).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL: the emulator gets no chance to close connections or flush anything, as in a crash.</summary>
    public void Kill()
    {
        var process = _process ?? throw new InvalidOperationException($"{_name} was never started");
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        // Bounded: a process that survives SIGKILL for this long means something is badly wrong on the machine.
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException($"{_name} (pid {process.Id}) did not exit after SIGKILL");
        }

        AppendLog($"--- killed (pid {process.Id})");
        process.Dispose();
        _process = null;
    }

    /// <summary>
    /// SIGSTOP: the process freezes with its connections open. The kernel still accepts connections and acknowledges
    /// data, so clients see no error at all, only silence: what a hung server or a lost network looks like.
    /// </summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Freeze"/>.</summary>
    public void Thaw() => Signal("CONT");

    /// <summary>The emulator's output so far, for failure messages.</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (_process is not null)
            {
                Kill();
            }
        }
        finally
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless; a teardown failure would hide the test's own result.
            }
        }
    }

    private void Signal(string name)
    {
        var process = _process ?? throw new InvalidOperationException($"{_name} is not running");
        var result = ChildProcess.Run("kill", [$"-{name}", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)], Repo.Root, TimeSpan.FromSeconds(10));
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{name} {process.Id} failed:\n{result}");
        }

        AppendLog($"--- SIG{name} (pid {process.Id})");
    }

    private async Task WaitUntilListeningAsync(Process process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            using (var probe = new TcpClient())
            {
                try
                {
                    await probe.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                    return;
                }
                catch (SocketException)
                {
                    // Not listening yet.
                }
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"{_name} exited with code {process.ExitCode} before listening on 127.0.0.1:{port}:\n{Log}");
            }

            if (deadline.Elapsed > ReadyTimeout)
            {
                Kill();
                throw new InvalidOperationException($"{_name} was not listening on 127.0.0.1:{port} after {ReadyTimeout}:\n{Log}");
            }

            await Task.Delay(25).ConfigureAwait(false);
        }
    }

    private void AppendLog(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    /// <summary>The emulator packages, installed by the shared fixture's script (or here, when CI started the emulators elsewhere).</summary>
    private static string PackageDirectory => LazyPackageDirectory.Value;

    private static readonly Lazy<string> LazyPackageDirectory = new(() =>
    {
        var directory = Path.Combine(Repo.Root, "scripts", "emulators");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "kinesalite")))
        {
            var result = ChildProcess.Run("bash", [Path.Combine(Repo.Root, "scripts", "emulators.sh"), "install"], Repo.Root, TimeSpan.FromMinutes(5));
            if (result.ExitCode != 0)
            {
                throw new InvalidOperationException($"scripts/emulators.sh install failed:\n{result}");
            }
        }

        return directory;
    });

    /// <summary>
    /// A port nothing listens on right now, below the ephemeral range (Linux's default starts at 32768): while the
    /// emulator is down for a restart its clients keep connecting, and an outgoing connection given its port would keep
    /// it from coming back. kinesalite and dynalite cannot be given port 0 (their CLIs turn it into the default), and a
    /// restart must come back on the same port anyway.
    /// </summary>
    private static int FreePort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20_000, 32_000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // In use: try another.
            }
        }

        throw new InvalidOperationException("no free port between 20000 and 32000 in 100 tries");
    }

    private static string NewDataDirectory(string kind) => Directory.CreateTempSubdirectory($"letsdata-faults-{kind}-").FullName;

    private static string PortText(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

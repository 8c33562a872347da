using System.Collections;
using System.ComponentModel;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LetsData.Runtime.Confinement;
using LetsData.Tests.ConfinementProbe;

// ConfinementProbe stage1 <policy json> <action>...   confines this thread and execs itself in stage 2
// ConfinementProbe stage2 <policy json> <action>...   installs seccomp, prints the reports, then tries each action
// Every line on stdout is one JSON object: {"report": ...} first, then {"action", "ok", "errno", "detail"} per action.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: ConfinementProbe stage1|stage2 <policy json> <action>...");
    return 2;
}

var policy = JsonSerializer.Deserialize<ConfinementPolicy>(args[1])!;
var actions = args[2..];
if (args[0] == "stage1")
{
    var self = Environment.ProcessPath!;
    var argv = new List<string> { self };
    if (Path.GetFileNameWithoutExtension(self) == "dotnet")
    {
        argv.Add(typeof(Probe).Assembly.Location);
    }

    argv.AddRange(["stage2", args[1], .. actions]);
    var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
        .ToDictionary(entry => (string)entry.Key, entry => (string?)entry.Value ?? "");
    try
    {
        ProcessConfinement.ConfineThenExec(policy, self, argv, environment);
    }
    catch (Exception e)
    {
        Probe.Print(new { stage1Error = e.Message });
    }

    return 3;
}

var seccomp = ProcessConfinement.InstallSeccompFilter(policy);
var stage1 = ConfinementReport.FromStage1Variable() ?? new ConfinementReport([], ["stage 1 report not found"]);
var report = stage1.Concat(seccomp);
Probe.Print(new { report = new { applied = report.Applied, missing = report.Missing } });
foreach (var action in actions)
{
    Probe.Run(action);
}

return 0;

/// <summary>The actions a confined process tries; each prints whether it worked and the errno when it did not.</summary>
internal static unsafe class Probe
{
    public static void Print(object line) => Console.WriteLine(JsonSerializer.Serialize(line));

    public static void Run(string action)
    {
        var colon = action.IndexOf(':', StringComparison.Ordinal);
        var (name, argument) = colon < 0 ? (action, "") : (action[..colon], action[(colon + 1)..]);
        try
        {
            var (ok, errno, detail) = name switch
            {
                "read" => Open(argument, ProbeNative.ORdOnly),
                "write" => Open(argument, ProbeNative.OWrOnly | ProbeNative.OCreat | ProbeNative.OTrunc),
                "list" => Open(argument, ProbeNative.ORdOnly | ProbeNative.ODirectory),
                "readtext" => (true, 0, File.ReadAllText(argument)),
                "connect" => Connect(int.Parse(argument, System.Globalization.CultureInfo.InvariantCulture)),
                "http" => Http(argument),
                "socket" => Socket(argument),
                "exec" => Exec(argument),
                "kill" => Result(ProbeNative.Kill(int.Parse(argument, System.Globalization.CultureInfo.InvariantCulture), 15)),
                "ptrace-peek" => Result((int)ProbeNative.Ptrace(2 /* PTRACE_PEEKDATA */, int.Parse(argument, System.Globalization.CultureInfo.InvariantCulture), 0, 0)),
                "vm-read-self" => VmReadSelf(),
                "unshare-user" => Result((int)Syscall("unshare", 0x10000000)),
                "clone-newuser" => Result((int)Syscall("clone", 0x10000000 | 0x200 /* CLONE_FS: EINVAL if it got through */)),
                "clone3" => Result((int)Syscall("clone3", 0)),
                "io-uring" => Result((int)Syscall("io_uring_setup", 1)),
                "thread" => Thread(),
                "tasks" => Tasks(),
                "gc" => Gc(),
                "seccomp-all-threads" => SeccompOnAllThreads(),
                _ => throw new ArgumentException($"unknown action {name}"),
            };
            Print(new { action, ok, errno, detail });
        }
        catch (Exception e)
        {
            Print(new { action, ok = false, errno = (e as Win32Exception)?.NativeErrorCode ?? 0, detail = $"{e.GetType().Name}: {e.Message}" });
        }
    }

    private static (bool, int, string) Result(int returned) =>
        returned < 0 ? (false, LinuxSyscalls.LastErrno, LinuxSyscalls.Describe(LinuxSyscalls.LastErrno)) : (true, 0, $"returned {returned}");

    private static long Syscall(string name, long argument)
    {
        var table = SeccompSyscalls.ForCurrentProcess()!;
        var number = name switch
        {
            "clone" => table.CloneSyscall,
            "clone3" => table.Clone3,
            _ => table.Refused[name],
        };
        return LinuxSyscalls.Syscall(number, argument, 0, 0, 0, 0);
    }

    private static (bool, int, string) Open(string path, int flags)
    {
        var native = LinuxSyscalls.ToNativeUtf8(path);
        var fd = LinuxSyscalls.Open(native, flags | LinuxSyscalls.O_CLOEXEC, 0x1A4 /* 0644 */);
        var result = Result(fd);
        if (fd >= 0)
        {
            LinuxSyscalls.Close(fd);
        }

        return result;
    }

    private static (bool, int, string) Socket(string family)
    {
        var (domain, type) = family switch
        {
            "unix" => (ProbeNative.AfUnix, ProbeNative.SockStream),
            "netlink" => (ProbeNative.AfNetlink, ProbeNative.SockRaw),
            _ => (ProbeNative.AfInet, ProbeNative.SockStream),
        };
        var fd = ProbeNative.Socket(domain, type, 0);
        var result = Result(fd);
        if (fd >= 0)
        {
            LinuxSyscalls.Close(fd);
        }

        return result;
    }

    private static (bool, int, string) Connect(int port)
    {
        var fd = ProbeNative.Socket(ProbeNative.AfInet, ProbeNative.SockStream, 0);
        if (fd < 0)
        {
            return Result(fd);
        }

        var address = new ProbeNative.SockaddrIn
        {
            Family = ProbeNative.AfInet,
            PortBigEndian = (ushort)IPAddress.HostToNetworkOrder((short)port),
            AddressBigEndian = (uint)IPAddress.HostToNetworkOrder(0x7F000001),
        };
        var result = Result(ProbeNative.Connect(fd, &address, sizeof(ProbeNative.SockaddrIn)));
        LinuxSyscalls.Close(fd);
        return result;
    }

    private static (bool, int, string) Http(string port)
    {
        using var client = new HttpClient();
        var body = client.GetStringAsync(new Uri($"http://127.0.0.1:{port}/")).GetAwaiter().GetResult();
        return (true, 0, body);
    }

    private static (bool, int, string) Exec(string commandLine)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", commandLine]) { UseShellExecute = false })!;
        process.WaitForExit();
        return (true, 0, $"exit code {process.ExitCode}");
    }

    private static (bool, int, string) VmReadSelf()
    {
        long source = 42, target = 0;
        var local = new ProbeNative.IoVec { Base = &target, Length = sizeof(long) };
        var remote = new ProbeNative.IoVec { Base = &source, Length = sizeof(long) };
        var read = ProbeNative.ProcessVmReadv(Environment.ProcessId, &local, 1, &remote, 1, 0);
        return read < 0 ? (false, LinuxSyscalls.LastErrno, LinuxSyscalls.Describe(LinuxSyscalls.LastErrno)) : (true, 0, $"read {target}");
    }

    private static (bool, int, string) Thread()
    {
        var value = 0;
        var thread = new Thread(() => value = 42);
        thread.Start();
        thread.Join();
        return (value == 42, 0, $"thread set {value}");
    }

    private static (bool, int, string) Tasks()
    {
        // More concurrent blocking work than the pool starts with, so it has to create threads.
        using var gate = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 16).Select(i => Task.Factory.StartNew(() => gate.Wait(), TaskCreationOptions.LongRunning)).ToList();
        var sum = Task.Run(() => Enumerable.Range(1, 100).Sum()).GetAwaiter().GetResult();
        gate.Set();
        Task.WaitAll([.. tasks]);
        return (sum == 5050, 0, $"16 long-running tasks and a pool task ran, sum {sum}");
    }

    /// <summary>Whether every thread, including those the runtime started before stage 2, runs under a filter.</summary>
    private static (bool, int, string) SeccompOnAllThreads()
    {
        var threads = Directory.GetDirectories("/proc/self/task");
        var unfiltered = threads
            .Where(task => !File.ReadAllLines(Path.Combine(task, "status")).Contains("Seccomp:\t2"))
            .Select(Path.GetFileName)
            .ToList();
        return (unfiltered.Count == 0, 0, $"{threads.Length} threads, without a filter: [{string.Join(", ", unfiltered)}]");
    }

    private static (bool, int, string) Gc()
    {
        var before = GC.CollectionCount(2);
        var garbage = new List<byte[]>();
        for (var i = 0; i < 100; i++)
        {
            garbage.Add(new byte[100_000]);
        }

        garbage.Clear();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return (GC.CollectionCount(2) > before, 0, $"gen2 collections {before} -> {GC.CollectionCount(2)}");
    }
}

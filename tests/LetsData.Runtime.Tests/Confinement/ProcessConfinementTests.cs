using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LetsData.Runtime.Tests.Confinement;

/// <summary>
/// Confines a real process (tests/ConfinementProbe) with both stages and checks from inside it that what the policy
/// leaves out is refused by the kernel, and that the .NET runtime still works (threads, the thread pool, the GC).
/// </summary>
public class ProcessConfinementTests
{
    private const int EPERM = 1;
    private const int ESRCH = 3;
    private const int EACCES = 13;
    private const int ENOSYS = 38;

    private string _root = null!;

    [SetUp]
    public void CreateFolders()
    {
        _root = Directory.CreateTempSubdirectory("letsdata-confinement-").FullName;
        foreach (var folder in new[] { "ro", "rw", "outside" })
        {
            Directory.CreateDirectory(Path.Combine(_root, folder));
            File.WriteAllText(Path.Combine(_root, folder, "file.txt"), folder);
        }
    }

    [TearDown]
    public void DeleteFolders() => Directory.Delete(_root, recursive: true);

    private string In(string folder, string file = "file.txt") => Path.Combine(_root, folder, file);

    [Test]
    public void Stage1ReportReachesStage2AndNoCapabilityIsLeft()
    {
        ConfinementProbeRun.RequireLinux();

        var run = ConfinementProbeRun.Run(ConfinementProbeRun.RuntimePolicy(), "readtext:/proc/self/status");

        Assert.That(run.Report.Applied, Does.Contain("no_new_privs set"), run.Output);
        Assert.That(run.Report.Applied, Has.Some.StartsWith("Landlock ABI "), run.Output);
        Assert.That(run.Report.Applied, Has.Some.StartsWith("seccomp ("), run.Output);
        var status = StatusFields(run["readtext:/proc/self/status"].Detail);
        Assert.Multiple(() =>
        {
            Assert.That(status["CapEff"], Is.EqualTo("0000000000000000"), "effective");
            Assert.That(status["CapPrm"], Is.EqualTo("0000000000000000"), "permitted");
            Assert.That(status["CapInh"], Is.EqualTo("0000000000000000"), "inheritable");
            Assert.That(status["CapAmb"], Is.EqualTo("0000000000000000"), "ambient");
            Assert.That(status["NoNewPrivs"], Is.EqualTo("1"));
            Assert.That(status["Seccomp"], Is.EqualTo("2"), "filter mode");
        });
        if (Environment.UserName == "root")
        {
            Assert.That(status["CapBnd"], Is.EqualTo("0000000000000000"), "bounding set (cleared when the test runs as root)");
        }
    }

    [Test]
    public void FilesOutsideThePolicyAreRefused()
    {
        ConfinementProbeRun.RequireLinux();
        var policy = ConfinementProbeRun.RuntimePolicy() with
        {
            ReadOnlyPaths = [.. ConfinementProbeRun.RuntimePolicy().ReadOnlyPaths, Path.Combine(_root, "ro"), Path.Combine(_root, "does-not-exist")],
            ReadWritePaths = [Path.Combine(_root, "rw")],
        };

        var run = ConfinementProbeRun.Run(
            policy,
            $"read:{In("ro")}", $"read:{In("rw")}", $"read:{In("outside")}",
            $"write:{In("rw", "new.txt")}", $"write:{In("ro", "new.txt")}", $"write:{In("outside", "new.txt")}",
            $"list:{Path.Combine(_root, "rw")}", $"list:{Path.Combine(_root, "outside")}", "list:/proc/1", "read:/etc/passwd");

        Assert.Multiple(() =>
        {
            Assert.That(run[$"read:{In("ro")}"].Ok, Is.True, run.Output);
            Assert.That(run[$"read:{In("rw")}"].Ok, Is.True, run.Output);
            Assert.That(run[$"write:{In("rw", "new.txt")}"].Ok, Is.True, run.Output);
            Assert.That(run[$"list:{Path.Combine(_root, "rw")}"].Ok, Is.True, run.Output);

            Assert.That(run[$"read:{In("outside")}"].Errno, Is.EqualTo(EACCES), run.Output);
            Assert.That(run[$"write:{In("ro", "new.txt")}"].Errno, Is.EqualTo(EACCES), run.Output);
            Assert.That(run[$"write:{In("outside", "new.txt")}"].Errno, Is.EqualTo(EACCES), run.Output);
            Assert.That(run[$"list:{Path.Combine(_root, "outside")}"].Errno, Is.EqualTo(EACCES), run.Output);
            Assert.That(run["list:/proc/1"].Errno, Is.EqualTo(EACCES), "only /proc/self is allowed: " + run.Output);
            Assert.That(run["read:/etc/passwd"].Errno, Is.EqualTo(EACCES), run.Output);
        });
        Assert.That(File.Exists(In("rw", "new.txt")), Is.True);
        Assert.That(File.Exists(In("ro", "new.txt")) || File.Exists(In("outside", "new.txt")), Is.False);
        Assert.That(run.Report.Missing, Has.Some.Contains("does-not-exist").And.Some.Contains("no rule added"), "a missing path is skipped and reported");
    }

    [Test]
    public void TcpConnectReachesOnlyTheAllowedPorts()
    {
        ConfinementProbeRun.RequireLinux(landlockAbi: 4);
        using var allowed = new TcpListener(IPAddress.Loopback, 0);
        using var other = new TcpListener(IPAddress.Loopback, 0);
        allowed.Start();
        other.Start();
        var allowedPort = ((IPEndPoint)allowed.LocalEndpoint).Port;
        var otherPort = ((IPEndPoint)other.LocalEndpoint).Port;
        // Answers the raw connect, then one HTTP request, on the allowed port.
        var server = Task.Run(async () =>
        {
            using (await allowed.AcceptTcpClientAsync())
            {
            }

            using var client = await allowed.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var request = new byte[4096];
            var read = 0;
            while (!Encoding.ASCII.GetString(request, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                read += await stream.ReadAsync(request.AsMemory(read));
            }

            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"u8.ToArray());
        });

        var run = ConfinementProbeRun.Run(
            ConfinementProbeRun.RuntimePolicy() with { TcpConnectPorts = [allowedPort], SocketFamilies = [2, 10] },
            $"connect:{allowedPort}", $"connect:{otherPort}", $"http:{allowedPort}");

        Assert.Multiple(() =>
        {
            Assert.That(run[$"connect:{allowedPort}"].Ok, Is.True, run.Output);
            Assert.That(run[$"connect:{otherPort}"].Errno, Is.EqualTo(EACCES), "a listening port the policy leaves out: " + run.Output);
            Assert.That(run[$"http:{allowedPort}"].Detail, Is.EqualTo("hello"), "HttpClient works under the filter: " + run.Output);
        });
        Assert.That(server.Wait(TimeSpan.FromMinutes(1)), Is.True);
    }

    [Test]
    public void SocketsOnlyOfTheAllowedFamilies()
    {
        ConfinementProbeRun.RequireLinux();

        var inet = ConfinementProbeRun.Run(ConfinementProbeRun.RuntimePolicy() with { SocketFamilies = [2, 10] }, "socket:inet", "socket:unix", "socket:netlink");
        var none = ConfinementProbeRun.Run(ConfinementProbeRun.RuntimePolicy(), "socket:inet");

        Assert.Multiple(() =>
        {
            Assert.That(inet["socket:inet"].Ok, Is.True, inet.Output);
            Assert.That(inet["socket:unix"].Errno, Is.EqualTo(EACCES), inet.Output);
            Assert.That(inet["socket:netlink"].Errno, Is.EqualTo(EACCES), inet.Output);
            Assert.That(none["socket:inet"].Errno, Is.EqualTo(EACCES), "no family allowed: " + none.Output);
        });
    }

    [Test]
    public void NoProgramsNoNamespacesNoPeekingIntoProcesses()
    {
        ConfinementProbeRun.RequireLinux();
        using var sleeper = StartSleeper();

        var run = ConfinementProbeRun.Run(
            ConfinementProbeRun.RuntimePolicy(),
            "exec:true", "vm-read-self", $"ptrace-peek:{sleeper.Id}", "unshare-user", "clone-newuser", "clone3", "io-uring");

        Assert.Multiple(() =>
        {
            // Landlock alone would say EACCES (/bin/sh is not executable under the policy): EPERM is seccomp's.
            Assert.That(run["exec:true"].Errno, Is.EqualTo(EPERM), "Process.Start: " + run.Output);
            Assert.That(run["vm-read-self"].Errno, Is.EqualTo(EPERM), "process_vm_readv works on itself unfiltered: " + run.Output);
            Assert.That(run[$"ptrace-peek:{sleeper.Id}"].Errno, Is.EqualTo(EPERM), $"unfiltered, an untraced target gives ESRCH ({ESRCH}): " + run.Output);
            Assert.That(run["unshare-user"].Errno, Is.EqualTo(EPERM), run.Output);
            Assert.That(run["clone-newuser"].Errno, Is.EqualTo(EPERM), "unfiltered, CLONE_NEWUSER|CLONE_FS gives EINVAL: " + run.Output);
            Assert.That(run["clone3"].Errno, Is.EqualTo(ENOSYS), "unfiltered, clone3(NULL, 0) gives EINVAL: " + run.Output);
            Assert.That(run["io-uring"].Errno, Is.EqualTo(EPERM), run.Output);
        });
    }

    [Test]
    public void SignalsCannotLeaveTheDomain()
    {
        ConfinementProbeRun.RequireLinux(landlockAbi: 6);
        using var sleeper = StartSleeper();

        var run = ConfinementProbeRun.Run(ConfinementProbeRun.RuntimePolicy(), $"kill:{sleeper.Id}");

        Assert.That(run[$"kill:{sleeper.Id}"].Errno, Is.EqualTo(EPERM), "SIGTERM to a process of the same user outside the domain: " + run.Output);
        Assert.That(sleeper.HasExited, Is.False);
    }

    [Test]
    public void TheRuntimeStillWorksUnderTheFilter()
    {
        ConfinementProbeRun.RequireLinux();

        // clone3 gets ENOSYS: new threads exist only if glibc's fallback to clone works.
        var run = ConfinementProbeRun.Run(ConfinementProbeRun.RuntimePolicy(), "thread", "tasks", "gc", "seccomp-all-threads");

        Assert.Multiple(() =>
        {
            Assert.That(run["seccomp-all-threads"].Ok, Is.True, "the filter is synced to the threads started before it: " + run.Output);
            Assert.That(run["thread"].Ok, Is.True, run.Output);
            Assert.That(run["tasks"].Ok, Is.True, run.Output);
            Assert.That(run["gc"].Ok, Is.True, run.Output);
        });
    }

    [Test]
    public void AProgramOutsideTheExecutablePathsIsNotExecdAndStage1Throws()
    {
        ConfinementProbeRun.RequireLinux();
        var runtime = ConfinementProbeRun.RuntimePolicy();
        var policy = runtime with
        {
            ReadOnlyPaths = [.. runtime.ReadOnlyPaths, ConfinementProbeRun.ProbeFolder],
            ReadExecutePaths = [.. runtime.ReadExecutePaths.Where(path => path != ConfinementProbeRun.ProbeFolder)],
        };

        var run = ConfinementProbeRun.Run(policy, expectedExitCode: 3, "thread");

        Assert.That(run.Output, Does.Contain("stage1Error").And.Contain("execve").And.Contain("errno 13"));
    }

    /// <summary>A process of this test's user outside the probe's Landlock domain; killed when disposed.</summary>
    private static SleeperProcess StartSleeper() =>
        new(Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!);

    private static Dictionary<string, string> StatusFields(string status) =>
        status.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());

    private sealed class SleeperProcess(Process process) : IDisposable
    {
        public int Id => process.Id;

        public bool HasExited => process.HasExited;

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill();
                process.WaitForExit();
            }

            process.Dispose();
        }
    }
}

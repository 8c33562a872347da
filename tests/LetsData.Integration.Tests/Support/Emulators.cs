using System.Diagnostics;

namespace LetsData.Integration.Tests;

/// <summary>
/// The AWS-compatible emulators for the whole test run. When <c>AWS_ENDPOINT_URL_S3</c> is set (CI sources the env file
/// of <c>scripts/emulators.sh start</c>), they are used as they are. Otherwise this fixture runs the project's script
/// itself, with a state folder of its own and this process as the owner (the script's watchdog stops them if the test
/// host dies), loads the env file into this process and stops them at the end. So plain <c>dotnet test</c> works.
/// </summary>
[SetUpFixture]
public sealed class Emulators
{
    private static string? _ownStateDirectory;

    public static string S3Endpoint => Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3")
        ?? throw new InvalidOperationException("AWS_ENDPOINT_URL_S3 is not set; the emulators are not running");

    [OneTimeSetUp]
    public void Start()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_S3")))
        {
            TestContext.Progress.WriteLine($"emulators: using the running ones (S3 {S3Endpoint})");
            return;
        }

        _ownStateDirectory = Path.Combine(Path.GetTempPath(), $"letsdata-emulators-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        RunScript("start");
        foreach (var line in File.ReadAllLines(Path.Combine(_ownStateDirectory, "env")))
        {
            var assignment = line.StartsWith("export ", StringComparison.Ordinal) ? line["export ".Length..] : line;
            var equals = assignment.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                Environment.SetEnvironmentVariable(assignment[..equals].Trim(), assignment[(equals + 1)..].Trim());
            }
        }

        TestContext.Progress.WriteLine($"emulators: started by the tests (S3 {S3Endpoint})");
    }

    [OneTimeTearDown]
    public void Stop()
    {
        if (_ownStateDirectory is null)
        {
            return;
        }

        RunScript("stop");
        try
        {
            Directory.Delete(_ownStateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A log still being written by an emulator on its way out; the temp folder is harmless.
        }
    }

    private static void RunScript(string command)
    {
        var script = Path.Combine(RepositoryRoot(), "scripts", "emulators.sh");
        var start = new ProcessStartInfo("bash", [script, command])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["EMU_DIR"] = _ownStateDirectory;
        start.Environment["EMU_OWNER_PID"] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"scripts/emulators.sh {command} did not finish within 5 minutes");
        }

        var output = stdout.Result + stderr.Result;
        TestContext.Progress.Write(output);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/emulators.sh {command} failed with exit code {process.ExitCode}:\n{output}");
        }
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "scripts", "emulators.sh")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"scripts/emulators.sh not found above {TestContext.CurrentContext.TestDirectory}");
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>What a finished child process left behind.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>The process outlived its time limit and was killed (with its descendants); <see cref="ExitCode"/> is then -1.</summary>
    public bool TimedOut { get; init; }

    public IReadOnlyList<string> StdoutLines => Lines(Stdout);

    public IReadOnlyList<string> StderrLines => Lines(Stderr);

    /// <summary>Everything there is to know about the run, for assertion messages.</summary>
    public override string ToString() =>
        $"{Command}{Environment.NewLine}{(TimedOut ? "timed out and killed" : $"exit code {ExitCode}")} after {Elapsed.TotalSeconds:F1} s{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{Stdout}--- stderr ---{Environment.NewLine}{Stderr}--------------";

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
}

/// <summary>
/// Runs a program to its end with captured output and a hard time limit: a hung child fails the test (or, with
/// <c>failOnTimeout: false</c>, is killed and reported as <see cref="ProcessResult.TimedOut"/>); it never hangs it.
/// </summary>
internal static class ChildProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How long output may stay open after the process exited (a descendant holding it) when timeouts are not failures.</summary>
    private static readonly TimeSpan OutputDrainLimit = TimeSpan.FromSeconds(30);

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan? timeout = null, Action<IDictionary<string, string?>>? environment = null, Action<Process>? whileRunning = null,
        bool failOnTimeout = true)
    {
        var limit = timeout ?? DefaultTimeout;
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The apphost finds the runtime through DOTNET_ROOT when it is not installed in a default location:
        // point it at the runtime this test host runs on.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_ROOT")))
        {
            start.Environment["DOTNET_ROOT"] = DotnetRoot();
        }

        environment?.Invoke(start.Environment);
        var command = $"[{workingDirectory}]$ {fileName} {string.Join(' ', start.ArgumentList.Select(Quote))}";
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        using var process = new Process { StartInfo = start };
        // Not disposed: a descendant may close the output after this method returned.
        var stdoutClosed = new ManualResetEventSlim();
        var stderrClosed = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data, stdoutClosed);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data, stderrClosed);
        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        whileRunning?.Invoke(process);
        if (!process.WaitForExit(limit - stopwatch.Elapsed < TimeSpan.Zero ? TimeSpan.Zero : limit - stopwatch.Elapsed))
        {
            try
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }
            catch (InvalidOperationException)
            {
                // It ended between the timeout and the kill.
            }

            var timedOut = new ProcessResult(command, -1, Snapshot(stdout), Snapshot(stderr), stopwatch.Elapsed) { TimedOut = true };
            if (failOnTimeout)
            {
                Assert.Fail($"timed out after {limit.TotalSeconds:F0} s and was killed: {timedOut}");
            }

            return timedOut;
        }

        if (failOnTimeout)
        {
            // WaitForExit() without a timeout also waits for the redirected streams to be read to their end.
            process.WaitForExit();
        }
        else if (!(stdoutClosed.Wait(OutputDrainLimit) && stderrClosed.Wait(OutputDrainLimit)))
        {
            // A descendant still holds the output open: report what came so far rather than wait for it.
            Append(stderr, $"[test harness: output still open {OutputDrainLimit.TotalSeconds:F0} s after the exit; a descendant holds it]", null);
        }

        return new ProcessResult(command, process.ExitCode, Snapshot(stdout), Snapshot(stderr), stopwatch.Elapsed);
    }

    private static void Append(StringBuilder output, string? line, ManualResetEventSlim? closed)
    {
        if (line is null)
        {
            closed?.Set();
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && !argument.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'') ? argument : $"'{argument}'";

    /// <summary>The dotnet root the current runtime lives in: <c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>.</summary>
    private static string DotnetRoot()
    {
        var runtimeDirectory = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar));
        return runtimeDirectory.Parent?.Parent?.Parent?.FullName ?? "";
    }
}

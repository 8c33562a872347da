using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>What a finished child process left behind.</summary>
internal sealed record ProcessResult(string Command, int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public IReadOnlyList<string> StdoutLines => Lines(Stdout);

    public IReadOnlyList<string> StderrLines => Lines(Stderr);

    /// <summary>Everything there is to know about the run, for assertion messages.</summary>
    public override string ToString() =>
        $"{Command}{Environment.NewLine}exit code {ExitCode} after {Elapsed.TotalSeconds:F1} s{Environment.NewLine}" +
        $"--- stdout ---{Environment.NewLine}{Stdout}--- stderr ---{Environment.NewLine}{Stderr}--------------";

    private static string[] Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
}

/// <summary>Runs a program to its end with captured output and a hard time limit: a hung child fails the test, it never hangs it.</summary>
internal static class ChildProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, string workingDirectory,
        TimeSpan? timeout = null, Action<IDictionary<string, string?>>? environment = null, Action<Process>? whileRunning = null)
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
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
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

            Assert.Fail($"timed out after {limit.TotalSeconds:F0} s and was killed: {new ProcessResult(command, -1, Snapshot(stdout), Snapshot(stderr), stopwatch.Elapsed)}");
        }

        // WaitForExit() without a timeout also waits for the redirected streams to be read to their end.
        process.WaitForExit();
        return new ProcessResult(command, process.ExitCode, Snapshot(stdout), Snapshot(stderr), stopwatch.Elapsed);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
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

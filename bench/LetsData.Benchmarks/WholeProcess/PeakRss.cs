using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace LetsData.Benchmarks.WholeProcess;

/// <summary>
/// The peak resident set of a command and of every process it reaped (the worker's data-task processes): the largest
/// single process, from getrusage(RUSAGE_CHILDREN).ru_maxrss. That value is a maximum over all children a process ever
/// reaped, so each measurement runs in a fresh probe process (this benchmark started again with
/// <see cref="ProbeOption"/>) whose only child is the measured command.
/// </summary>
internal static partial class PeakRss
{
    public const string ProbeOption = "--rss-probe";
    private const int RusageChildren = -1;

    /// <summary>Runs <paramref name="program"/> with <paramref name="arguments"/> under a probe; its peak RSS in bytes, or null off Linux.</summary>
    public static long? Measure(string workingDirectory, string program, IReadOnlyList<string> arguments)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var start = new ProcessStartInfo(self)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PeakRss).Assembly.Location);
        }

        foreach (var argument in new[] { ProbeOption, program }.Concat(arguments))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "";
        return process.ExitCode == 0 && long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var kb)
            ? kb * 1024
            : throw new InvalidOperationException($"the RSS probe of {program} failed (exit {process.ExitCode}):\n{output}{error.Result}");
    }

    /// <summary>The probe itself: runs the command (its output discarded), then prints its peak RSS in KiB. Exit 1 when it failed.</summary>
    public static int Probe(IReadOnlyList<string> command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        var error = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => error.AppendLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.Error.WriteLine($"{command[0]} exited with {process.ExitCode}:\n{error}");
            return 1;
        }

        // struct rusage: two struct timevals (16 bytes each on 64-bit Linux), then ru_maxrss (a long, KiB).
        Span<long> usage = stackalloc long[18];
        if (GetRusage(RusageChildren, ref MemoryMarshal.GetReference(usage)) != 0)
        {
            return 1;
        }

        Console.WriteLine(usage[4].ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRusage(int who, ref long usage);
}

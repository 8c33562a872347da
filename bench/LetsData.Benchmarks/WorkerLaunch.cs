using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace LetsData.Benchmarks;

/// <summary>
/// When, after Process.Start, a launch of the worker wrote its first document and when it exited; what it printed
/// (standard output and error, interleaved); and the CPU time of the worker and of the processes it reaped (its
/// data-task processes), null where the OS does not tell.
/// </summary>
internal readonly record struct StartupTiming(TimeSpan FirstDocument, TimeSpan Exit, long DocumentLines, string Output, TimeSpan? Cpu);

/// <summary>
/// Runs the published worker once on a copy of a dataset whose output paths point into a fresh folder, watching the
/// documents folder from outside the process (as a user would) for the first non-empty JSON Lines file.
/// </summary>
internal static class WorkerLaunch
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="datasetFile"/> once, writing into <paramref name="runDirectory"/>; <paramref name="extraArguments"/> are
    /// added after <c>run</c>'s own arguments (e.g. <c>--in-process</c>, <c>--concurrency 2</c>).</summary>
    /// <param name="layout">Where the published worker is.</param>
    /// <param name="datasetFile">The dataset; a copy with output paths in <paramref name="runDirectory"/> is run.</param>
    /// <param name="runDirectory">This launch's folder.</param>
    /// <param name="extraArguments">More arguments for <c>run</c>.</param>
    /// <param name="stateDirectory">The task state folder; null: a fresh one in <paramref name="runDirectory"/>. A shared one
    /// keeps what a run remembers (the smoke run's pass) for the next launch.</param>
    public static StartupTiming Measure(RepositoryLayout layout, string datasetFile, string runDirectory, IReadOnlyList<string>? extraArguments = null,
        string? stateDirectory = null)
    {
        var documents = Path.Combine(runDirectory, "documents");
        var dataset = WriteDatasetCopy(datasetFile, runDirectory, documents, Path.Combine(runDirectory, "errors"));

        var start = new ProcessStartInfo(layout.WorkerExecutable)
        {
            WorkingDirectory = layout.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Every launch does the whole work: a fresh task state folder, and completed tasks are not skipped.
        var state = stateDirectory ?? Path.Combine(runDirectory, "state");
        string[] arguments = ["run", "--dataset", dataset, "--plugins", layout.PluginsDirectory, "--state", state, "--rerun-completed"];
        foreach (var argument in arguments.Concat(extraArguments ?? []))
        {
            start.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var stopwatch = new Stopwatch();
        var exitedAtTicks = -1L;
        // The Exited event fires when the child is reaped: a tighter exit time than the polling loop could give.
        process.Exited += (_, _) => Interlocked.Exchange(ref exitedAtTicks, stopwatch.Elapsed.Ticks);

        var cpuBefore = ChildrenCpu.Read();
        stopwatch.Start();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        TimeSpan? firstDocument = null;
        while (firstDocument is null)
        {
            var exited = Interlocked.Read(ref exitedAtTicks) >= 0;
            if (HasDocument(documents))
            {
                firstDocument = stopwatch.Elapsed;
            }
            else if (exited)
            {
                break; // checked once more after the exit: nothing was written
            }
            else if (stopwatch.Elapsed > Timeout)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"the worker ran for over {Timeout.TotalSeconds:F0} s:\n{output}");
            }
            else
            {
                Thread.Sleep(PollInterval);
            }
        }

        process.WaitForExit(); // also drains the redirected output
        while (Interlocked.Read(ref exitedAtTicks) < 0)
        {
            Thread.Sleep(1); // the Exited handler may run just after WaitForExit returns
        }

        if (process.ExitCode != 0 || firstDocument is null)
        {
            throw new InvalidOperationException(
                $"the worker exited with {process.ExitCode}{(firstDocument is null ? " without writing a document" : "")}:\n{output}");
        }

        var cpuAfter = ChildrenCpu.Read();
        return new StartupTiming(firstDocument.Value, TimeSpan.FromTicks(exitedAtTicks), CountLines(documents), output.ToString(),
            cpuAfter - cpuBefore);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string WriteDatasetCopy(string datasetFile, string runDirectory, string documents, string errors)
    {
        var config = JsonNode.Parse(File.ReadAllText(datasetFile))
            ?? throw new InvalidOperationException($"{datasetFile} is empty");
        // Relative paths resolve against the dataset file's folder: the copy lives elsewhere, so the input folder is made absolute.
        if (config["readConnector"]?["rootPath"]?.GetValue<string>() is { } rootPath)
        {
            config["readConnector"]!["rootPath"] = Path.GetFullPath(rootPath, Path.GetDirectoryName(Path.GetFullPath(datasetFile))!);
        }

        config["writeConnector"]!["outputPath"] = documents;
        config["errorConnector"]!["outputPath"] = errors;
        Directory.CreateDirectory(runDirectory);
        var copy = Path.Combine(runDirectory, Path.GetFileName(datasetFile));
        File.WriteAllText(copy, config.ToJsonString());
        return copy;
    }

    private static bool HasDocument(string documents)
    {
        if (!Directory.Exists(documents))
        {
            return false;
        }

        try
        {
            foreach (var file in new DirectoryInfo(documents).EnumerateFiles())
            {
                if ((file.Name.EndsWith(".jsonl", StringComparison.Ordinal) || file.Name.EndsWith(".jsonl.inprogress", StringComparison.Ordinal))
                    && file.Length > 0)
                {
                    return true;
                }
            }
        }
        catch (IOException)
        {
            // The in-progress file was renamed between listing and stat: the next poll sees its final name.
        }

        return false;
    }

    private static long CountLines(string documents) =>
        Directory.EnumerateFiles(documents, "*.jsonl").Sum(f => File.ReadLines(f).LongCount());
}

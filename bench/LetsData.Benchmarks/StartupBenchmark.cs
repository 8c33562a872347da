using System.Globalization;

namespace LetsData.Benchmarks;

/// <summary>
/// Measurement 3: process start → first document written, for the Run dataset (datasets/target-uris.json), with the
/// published worker as a child process; also process start → exit.
/// </summary>
internal static class StartupBenchmark
{
    private const int Launches = 5;
    private static readonly TimeSpan Target = TimeSpan.FromSeconds(1);

    public static void Run(RepositoryLayout layout)
    {
        Console.Error.WriteLine("[startup] start-up");
        WorkerPublisher.EnsurePublished(layout);
        var dataset = Path.Combine(layout.Root, "datasets", "target-uris.json");
        var temp = Directory.CreateTempSubdirectory("letsdata-bench-startup-");
        try
        {
            // The first launch after a publish also pays for cold disk pages of the worker's assemblies; report it apart.
            Console.Error.Write("  warm-up launch ... ");
            var warmUp = WorkerLaunch.Measure(layout, dataset, Path.Combine(temp.FullName, "warm-up"));
            var runs = new List<StartupTiming>(Launches);
            for (var i = 0; i < Launches; i++)
            {
                Console.Error.Write($"launch {i + 1} ... ");
                runs.Add(WorkerLaunch.Measure(layout, dataset, Path.Combine(temp.FullName, $"run-{i + 1}")));
            }

            Console.Error.WriteLine("done");
            Print(layout, dataset, warmUp, runs);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static void Print(RepositoryLayout layout, string dataset, StartupTiming warmUp, IReadOnlyList<StartupTiming> runs)
    {
        var published = File.GetLastWriteTimeUtc(layout.WorkerExecutable).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Console.WriteLine($"3. Start-up — {Path.GetRelativePath(layout.Root, layout.WorkerExecutable)} run --dataset {Path.GetRelativePath(layout.Root, dataset)} (copy with temp output paths)");
        Console.WriteLine($"  worker      published {published} UTC; {Launches} launches after 1 warm-up launch; first document = first non-empty "
            + $"*.jsonl(.inprogress) in the documents folder, polled every 2 ms; {runs[0].DocumentLines:N0} documents per run");
        Console.WriteLine($"  load        {MachineLoad.Describe()} after the runs");
        Console.WriteLine($"  {"",-30} {"min",9} {"median",9} {"warm-up",9}   all launches (ms)");
        Line("start → first document", runs.Select(r => r.FirstDocument).ToList(), warmUp.FirstDocument);
        Line("start → exit", runs.Select(r => r.Exit).ToList(), warmUp.Exit);
        var median = Median(runs.Select(r => r.FirstDocument).ToList());
        ReportWriter.Target($"≤ {Target.TotalSeconds:F0} s to the first document (median)", median <= Target,
            $"{median.TotalMilliseconds:F0} ms");
        Console.WriteLine();
    }

    private static void Line(string name, IReadOnlyList<TimeSpan> values, TimeSpan warmUp)
    {
        var all = string.Join(" ", values.Select(v => v.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)));
        Console.WriteLine($"  {name,-30} {values.Min().TotalMilliseconds,7:F0}ms {Median(values).TotalMilliseconds,7:F0}ms {warmUp.TotalMilliseconds,7:F0}ms   {all}");
    }

    private static TimeSpan Median(IReadOnlyList<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

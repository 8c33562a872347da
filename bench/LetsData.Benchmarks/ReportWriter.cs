using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace LetsData.Benchmarks;

/// <summary>Prints the report to standard output (progress goes to standard error, so the report can be redirected).</summary>
internal static class ReportWriter
{
    public static void MachineFacts(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.WriteLine("LetsData for .NET — benchmark report");
        Console.WriteLine($"  date        {DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC");
        Console.WriteLine($"  cores       {Environment.ProcessorCount} (Environment.ProcessorCount)");
        Console.WriteLine($"  os          {RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})");
        Console.WriteLine($"  .NET        {RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})");
        Console.WriteLine($"  gc          {(GCSettings.IsServerGC ? "server" : "workstation")}, {GCSettings.LatencyMode}");
        Console.WriteLine($"  load        {MachineLoad.Describe()} at start");
        Console.WriteLine($"  repository  {layout.Root}");
        Console.WriteLine($"  settings    --size-mb {arguments.SizeMb} --reps {arguments.Reps}{(arguments.Runs("commoncrawl") || arguments.Runs("gzip") || arguments.Runs("isolation") ? $" --cc-urls {arguments.CommonCrawlUrls}" : "")}{(arguments.Only is null ? "" : $" --only {arguments.Only}")}; "
            + "best of reps after one warm-up; 1 MB = 10^6 bytes; files are read from the page cache; "
            + "cpu = process CPU time of the best run (above its elapsed time when both cores work)");
        Console.WriteLine();
    }

    public static void Comparison(SideBySideResult result, string ratioLabel, bool byRecords = false)
    {
        Console.WriteLine($"  {"side",-46} {"records/s",12} {"MB/s",9} {"best",9} {"cpu",8}   all runs (s)");
        Line(result.BaselineName, result.BaselineRuns);
        Line(result.EngineName, result.EngineRuns);
        Console.WriteLine($"  ratio {ratioLabel}: {(byRecords ? result.RecordsRatio : result.Ratio):F2}{(byRecords ? " (records/s)" : "")}");
    }

    private static void Line(string name, IReadOnlyList<Throughput> runs)
    {
        var best = runs.MinBy(r => r.Elapsed);
        var all = string.Join(" ", runs.Select(r => r.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)));
        Console.WriteLine($"  {name,-46} {best.RecordsPerSecond,12:N0} {best.MbPerSecond,9:N0} {best.Elapsed.TotalSeconds,8:F3}s {best.CpuTime.TotalSeconds,7:F3}s   {all}");
    }

    public static void Target(string description, bool met, string actual) =>
        Console.WriteLine($"  target {description}: {(met ? "MET" : "MISSED")} ({actual})");
}

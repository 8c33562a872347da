namespace LetsData.Benchmarks;

/// <summary>
/// Measurement 1: what the engine itself costs per record, on an uncompressed file with a plugin that does nothing,
/// next to the raw scan of the same file (the best any scanner could do).
/// </summary>
internal static class EngineOverheadBenchmark
{
    private const double TargetRecordsPerSecond = 1_000_000;

    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[engine] engine overhead");
        var file = BenchDataGenerator.Plain(layout.BenchDataDirectory, arguments.SizeMb);
        var result = SideBySide.Measure(arguments.Reps,
            "raw scan (FileStream 4 MB reads + IndexOf)", () => RawScan.Run(file),
            "engine (trivial parser, discarding sinks)", () => EngineRun.Run(file));

        Console.WriteLine("1. Engine overhead — uncompressed file, trivial parser, discarding sinks, concurrency 1");
        Console.WriteLine($"  input       {file.Describe(layout.Root)}");
        Console.WriteLine($"  records     start = end = \"{SyntheticRecords.StartPattern}\"");
        Console.WriteLine($"  load        {MachineLoad.Describe()} after the runs");
        ReportWriter.Comparison(result, "engine / raw scan");
        var best = result.BestEngine;
        ReportWriter.Target("≥ 1,000,000 records/s on one core", best.RecordsPerSecond >= TargetRecordsPerSecond,
            $"{best.RecordsPerSecond:N0} records/s, {1e9 / best.RecordsPerSecond:F0} ns per record");
        Console.WriteLine();
    }
}

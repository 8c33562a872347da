using LetsData.Benchmarks.Gzip;

namespace LetsData.Benchmarks;

/// <summary>
/// Measurement 2: the same records as multi-member gzip through the engine, next to decompressing the file to
/// nowhere with a plain GZipStream. The engine decompresses a single-file task on its own thread right before the
/// scan, so the scan should cost next to nothing on top of decompression.
/// </summary>
internal static class GzipInputBenchmark
{
    private const double TargetRatio = 0.9;

    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[gzip] gzip input");
        var file = BenchDataGenerator.Gzip(layout.BenchDataDirectory, arguments.SizeMb);
        var result = SideBySide.Measure(arguments.Reps,
            "GZipStream decompression only (counting loop)", () => GzipDecompressOnly.Run(file),
            "engine (trivial parser, discarding sinks)", () => EngineRun.Run(file));

        Console.WriteLine("2. gzip input — multi-member gzip, trivial parser, discarding sinks, concurrency 1");
        Console.WriteLine($"  input       {file.Describe(layout.Root)}");
        Console.WriteLine($"  members     one gzip member per group of whole records of ≥ {BenchDataGenerator.GzipMemberBytes / 1024} KiB uncompressed "
            + $"(~{file.ContentBytes / (double)BenchDataGenerator.GzipMemberBytes:N0} members), CompressionLevel.Optimal; "
            + $"ratio {file.ContentBytes / (double)file.FileBytes:F1}:1; MB/s below are decompressed bytes");
        Console.WriteLine($"  load        {MachineLoad.Describe()} after the runs");
        ReportWriter.Comparison(result, "engine / decompression only");
        ReportWriter.Target($"≥ {TargetRatio:F1} of decompression-only throughput", result.Ratio >= TargetRatio,
            $"{result.Ratio:F2}");
        Console.WriteLine();

        // 2b: the engine's inflating stream itself against GZipStream, on Common Crawl's one-member-per-record layout.
        GzipMemberStreamBenchmark.Run(arguments, layout);
    }
}

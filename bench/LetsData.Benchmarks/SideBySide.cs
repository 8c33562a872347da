using System.Diagnostics;

namespace LetsData.Benchmarks;

/// <summary>The outcome of measuring two sides of a comparison in the same process run.</summary>
internal sealed record SideBySideResult(string BaselineName, IReadOnlyList<Throughput> BaselineRuns,
    string EngineName, IReadOnlyList<Throughput> EngineRuns)
{
    public Throughput BestBaseline => BaselineRuns.MinBy(r => r.Elapsed);
    public Throughput BestEngine => EngineRuns.MinBy(r => r.Elapsed);

    /// <summary>Engine throughput as a fraction of the baseline's (both in bytes per second).</summary>
    public double Ratio => BestEngine.MbPerSecond / BestBaseline.MbPerSecond;

    /// <summary>Engine throughput as a fraction of the baseline's in records per second (sides that count bytes differently).</summary>
    public double RecordsRatio => BestEngine.RecordsPerSecond / BestBaseline.RecordsPerSecond;
}

/// <summary>
/// Runs a baseline and the engine alternately: one unreported warm-up of each (JIT tiers, page cache), then
/// <c>reps</c> measured runs of each, interleaved so that drift of the machine (other builds, thermal) hits both sides.
/// </summary>
internal static class SideBySide
{
    public static SideBySideResult Measure(int reps, string baselineName, Func<Throughput> baseline,
        string engineName, Func<Throughput> engine)
    {
        Console.Error.Write($"  warm-up ... ");
        Run(baseline);
        Run(engine);
        var baselineRuns = new List<Throughput>(reps);
        var engineRuns = new List<Throughput>(reps);
        for (var i = 0; i < reps; i++)
        {
            Console.Error.Write($"rep {i + 1} ... ");
            // Alternate which side goes first, so neither always runs right after the other's garbage.
            if (i % 2 == 0)
            {
                baselineRuns.Add(Run(baseline));
                engineRuns.Add(Run(engine));
            }
            else
            {
                engineRuns.Add(Run(engine));
                baselineRuns.Add(Run(baseline));
            }
        }

        Console.Error.WriteLine("done");
        return new SideBySideResult(baselineName, baselineRuns, engineName, engineRuns);
    }

    private static Throughput Run(Func<Throughput> side)
    {
        // Start every run from a clean heap, so one side does not pay for the other's garbage.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return side();
    }

    /// <summary>Times <paramref name="body"/>, which returns the records and bytes it processed.</summary>
    public static Throughput Time(Func<(long Records, long Bytes)> body)
    {
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var stopwatch = Stopwatch.StartNew();
        var (records, bytes) = body();
        var elapsed = stopwatch.Elapsed;
        return new Throughput(records, bytes, elapsed, Environment.CpuUsage.TotalTime - cpuBefore);
    }
}

namespace LetsData.Benchmarks;

/// <summary>
/// One timed run: how many records and (decompressed) bytes it got through in how long, and the CPU time the whole
/// process used meanwhile (above the elapsed time when two threads work; far below it for one thread on a busy machine).
/// </summary>
internal readonly record struct Throughput(long Records, long Bytes, TimeSpan Elapsed, TimeSpan CpuTime)
{
    /// <summary>Decimal megabytes, as disk and network rates are quoted.</summary>
    public const double BytesPerMb = 1_000_000;

    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;
    public double MbPerSecond => Bytes / BytesPerMb / Elapsed.TotalSeconds;
}

namespace LetsData.Benchmarks;

/// <summary>One timed run: how many records and (decompressed) bytes it got through in how long.</summary>
internal readonly record struct Throughput(long Records, long Bytes, TimeSpan Elapsed)
{
    /// <summary>Decimal megabytes, as disk and network rates are quoted.</summary>
    public const double BytesPerMb = 1_000_000;

    public double RecordsPerSecond => Records / Elapsed.TotalSeconds;
    public double MbPerSecond => Bytes / BytesPerMb / Elapsed.TotalSeconds;
}

namespace LetsData.Runtime.Measures;

/// <summary>
/// Counts of values per bucket of fixed upper bounds (the last bucket: above every bound), recorded lock-free from any
/// thread. Fixed bounds make counts from many processes add up exactly, and a count array is all a heartbeat carries.
/// </summary>
internal sealed class BucketHistogram(double[] bounds)
{
    private readonly long[] _counts = new long[bounds.Length + 1];

    /// <summary>The buckets' upper bounds, ascending.</summary>
    public IReadOnlyList<double> Bounds => bounds;

    /// <summary>Counts <paramref name="value"/> in its bucket: the first whose bound is at least the value.</summary>
    public void Record(double value)
    {
        var index = Array.BinarySearch(bounds, value);
        Interlocked.Increment(ref _counts[index >= 0 ? index : ~index]);
    }

    /// <summary>Adds counts taken elsewhere (a data-task process's) bucket by bucket.</summary>
    public void Add(IReadOnlyList<long> counts)
    {
        for (var i = 0; i < Math.Min(counts.Count, _counts.Length); i++)
        {
            Interlocked.Add(ref _counts[i], counts[i]);
        }
    }

    /// <summary>A copy of the counts, one per bucket.</summary>
    public long[] Counts()
    {
        var counts = new long[_counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Interlocked.Read(ref _counts[i]);
        }

        return counts;
    }

    /// <summary>
    /// A value that stands for bucket <paramref name="index"/> when counts are replayed into a histogram with the same
    /// bounds: the bucket's geometric middle (half the first bound; twice the last for the overflow bucket). Replayed
    /// bucket counts are exact; the sum is an estimate.
    /// </summary>
    public double Representative(int index) =>
        index == 0 ? bounds[0] / 2
        : index == bounds.Length ? bounds[^1] * 2
        : Math.Sqrt(bounds[index - 1] * bounds[index]);

    /// <summary>
    /// Bounds 1, 2.5 and 5 times each power of ten from 10^<paramref name="firstExponent"/>, for <paramref name="decades"/>
    /// decades; parsed from their decimal form so that they print as written (2.5E-06, not 2.4999999999999998E-06).
    /// </summary>
    public static double[] Decades(int firstExponent, int decades) =>
        Enumerable.Range(firstExponent, decades).SelectMany(e => new[] { "1", "2.5", "5" }
            .Select(m => double.Parse($"{m}e{e}", System.Globalization.CultureInfo.InvariantCulture))).ToArray();
}

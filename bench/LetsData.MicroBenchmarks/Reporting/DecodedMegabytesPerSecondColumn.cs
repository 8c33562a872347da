using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using LetsData.MicroBenchmarks.Inputs;

namespace LetsData.MicroBenchmarks.Reporting;

/// <summary>
/// MB/s of decompressed (scanned) data: the corpus size over the median time of one call (the median, because on a shared
/// machine other work pulls the mean). Every benchmark here processes a whole <see cref="WarcLikeCorpus"/> per call; the
/// host regenerates the same deterministic corpus to know its size.
/// </summary>
internal sealed class DecodedMegabytesPerSecondColumn : IColumn
{
    /// <summary>Decimal megabytes, as the Bench target quotes rates.</summary>
    private const double BytesPerMb = 1_000_000;

    public string Id => nameof(DecodedMegabytesPerSecondColumn);
    public string ColumnName => "MB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Decompressed (scanned) megabytes (10^6 B) per second: the corpus size over the median";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
        GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var medianNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Median;
        if (medianNanoseconds is not > 0 || benchmarkCase.Parameters["Shape"] is not RecordShape shape)
        {
            return "-";
        }

        var bytes = WarcLikeCorpus.For(shape).Plain.Length;
        return (bytes / BytesPerMb / (medianNanoseconds.Value / 1e9)).ToString("N0", style.CultureInfo);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;

    public override string ToString() => ColumnName;
}

using LetsData.Runtime.Engine;

namespace LetsData.Runtime.State;

/// <summary>A task's counts: records, documents, errors and skips over all its attempts; bytes of the latest attempt.</summary>
/// <param name="Records">Records read.</param>
/// <param name="Documents">Documents written.</param>
/// <param name="Errors">Error records written.</param>
/// <param name="Skips">Records skipped.</param>
/// <param name="BytesRead">Bytes read from storage (compressed size for gzip).</param>
/// <param name="BytesScanned">Decompressed bytes scanned.</param>
public sealed record TaskRecordCounters(long Records, long Documents, long Errors, long Skips, long BytesRead, long BytesScanned)
{
    public static TaskRecordCounters Zero { get; } = new(0, 0, 0, 0, 0, 0);

    public static TaskRecordCounters From(TaskCounters counters) => new(counters.Records, counters.Documents,
        counters.Errors, counters.Skips, counters.BytesRead, counters.BytesScanned);
}

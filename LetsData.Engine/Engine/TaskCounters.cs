namespace LetsData.Runtime.Engine;

/// <summary>A task's counts, kept by its own thread and published to the run's progress from time to time.</summary>
public sealed class TaskCounters
{
    public long Records { get; internal set; }
    public long Documents { get; internal set; }
    public long Errors { get; internal set; }

    /// <summary>Records skipped: Skip results, and blank records (an empty line) the scanner passed over.</summary>
    public long Skips { get; internal set; }

    /// <summary>Decompressed bytes scanned.</summary>
    public long BytesScanned { get; internal set; }

    /// <summary>Bytes read from storage (compressed size for gzip).</summary>
    public long BytesRead { get; internal set; }

    /// <summary>Bytes the task's thread allocated (plugin and runtime work of this task alike).</summary>
    public long AllocatedBytes { get; internal set; }

    public TaskCounters Snapshot() => (TaskCounters)MemberwiseClone();
}

namespace LetsData.Runtime.Measures;

/// <summary>
/// What this process measured of its plugin calls, checkpoints and sink batches, since it started: recorded where they
/// happen (the call site, the checkpointer, the Kinesis and DynamoDB writers) and read as a <see cref="MeasuresSnapshot"/>
/// by whoever exports them — a data-task process sends the increase in each heartbeat, an <c>--in-process</c> run
/// reads them directly. One set per process, like the process's own counters: a data-task process runs one engine.
/// </summary>
internal static class ProcessMeasures
{
    /// <summary>Plugin call durations in seconds: 1 µs to 50 s.</summary>
    public static BucketHistogram PluginCallSeconds { get; } = new(BucketHistogram.Decades(-6, 8));

    /// <summary>Checkpoint durations in seconds (flush, fsync, task record write): 100 µs to 500 s.</summary>
    public static BucketHistogram CheckpointSeconds { get; } = new(BucketHistogram.Decades(-4, 7));

    /// <summary>Records per request a sink sent (PutRecords, BatchWriteItem, SendMessageBatch): 1 to 500.</summary>
    public static BucketHistogram SinkBatchRecords { get; } = new(BucketHistogram.Decades(0, 3));

    private static long _sinkRetries;
    private static long _sinkThrottles;

    /// <summary>A sink sent a batch of <paramref name="records"/>.</summary>
    public static void SinkBatch(int records) => SinkBatchRecords.Record(records);

    /// <summary>A sink sends a batch again (all or part of it); <paramref name="throttled"/> when the service said slow down.</summary>
    public static void SinkRetried(bool throttled)
    {
        Interlocked.Increment(ref _sinkRetries);
        if (throttled)
        {
            Interlocked.Increment(ref _sinkThrottles);
        }
    }

    /// <summary>Everything measured so far.</summary>
    public static MeasuresSnapshot Snapshot() => new(PluginCallSeconds.Counts(), CheckpointSeconds.Counts(), SinkBatchRecords.Counts(),
        Interlocked.Read(ref _sinkRetries), Interlocked.Read(ref _sinkThrottles));
}

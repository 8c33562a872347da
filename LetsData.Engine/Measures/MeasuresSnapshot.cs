namespace LetsData.Runtime.Measures;

/// <summary>
/// The measures of <see cref="ProcessMeasures"/> at one moment (or the increase between two moments, as a heartbeat
/// carries it): each histogram's bucket counts and the sink retry and throttle counts.
/// </summary>
/// <param name="PluginCalls">Counts per <see cref="ProcessMeasures.PluginCallSeconds"/> bucket.</param>
/// <param name="Checkpoints">Counts per <see cref="ProcessMeasures.CheckpointSeconds"/> bucket.</param>
/// <param name="SinkBatches">Counts per <see cref="ProcessMeasures.SinkBatchRecords"/> bucket.</param>
/// <param name="SinkRetries">Batches sent again.</param>
/// <param name="SinkThrottles">Of those, the ones the service throttled.</param>
internal sealed record MeasuresSnapshot(long[] PluginCalls, long[] Checkpoints, long[] SinkBatches, long SinkRetries, long SinkThrottles)
{
    /// <summary>What was measured after <paramref name="earlier"/>.</summary>
    public MeasuresSnapshot Minus(MeasuresSnapshot earlier) => new(Minus(PluginCalls, earlier.PluginCalls), Minus(Checkpoints, earlier.Checkpoints),
        Minus(SinkBatches, earlier.SinkBatches), SinkRetries - earlier.SinkRetries, SinkThrottles - earlier.SinkThrottles);

    /// <summary>Whether nothing was measured (a heartbeat leaves it out then).</summary>
    public bool IsEmpty => SinkRetries == 0 && PluginCalls.All(c => c == 0) && Checkpoints.All(c => c == 0) && SinkBatches.All(c => c == 0);

    private static long[] Minus(long[] now, long[] before) => now.Select((c, i) => c - (i < before.Length ? before[i] : 0)).ToArray();
}

/// <summary>
/// Measures added up from several processes (the supervisor's, from its data-task processes' heartbeats), with the same
/// buckets as <see cref="ProcessMeasures"/>.
/// </summary>
internal sealed class MeasuresTotals
{
    private readonly BucketHistogram _pluginCalls = new([.. ProcessMeasures.PluginCallSeconds.Bounds]);
    private readonly BucketHistogram _checkpoints = new([.. ProcessMeasures.CheckpointSeconds.Bounds]);
    private readonly BucketHistogram _sinkBatches = new([.. ProcessMeasures.SinkBatchRecords.Bounds]);
    private long _sinkRetries;
    private long _sinkThrottles;

    public void Add(MeasuresSnapshot increase)
    {
        _pluginCalls.Add(increase.PluginCalls);
        _checkpoints.Add(increase.Checkpoints);
        _sinkBatches.Add(increase.SinkBatches);
        Interlocked.Add(ref _sinkRetries, increase.SinkRetries);
        Interlocked.Add(ref _sinkThrottles, increase.SinkThrottles);
    }

    public MeasuresSnapshot Snapshot() => new(_pluginCalls.Counts(), _checkpoints.Counts(), _sinkBatches.Counts(),
        Interlocked.Read(ref _sinkRetries), Interlocked.Read(ref _sinkThrottles));
}

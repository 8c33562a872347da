using System.Diagnostics.Metrics;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Measures;

namespace LetsData.Runtime.Observability;

/// <summary>
/// The run's instruments on the <c>LetsData</c> meter. All are observable: they read totals the run keeps anyway (the
/// tally, the engine's progress, the ledger's lease counts) when a reader collects, so no record pays for them.
/// Counts are tagged <c>dataset</c> and <c>task</c>; in an in-process run the live counts are the engine's run-wide
/// totals and carry <c>dataset</c> only. The histograms (plugin call and checkpoint durations, sink batch sizes) are
/// kept as bucket counts where they are measured (<see cref="ProcessMeasures"/>, summed from the heartbeats of the
/// data-task processes) and replayed into the meter's histograms every second and at the end: the buckets' counts are
/// exact, their sums are estimates from the buckets' middles. They carry <c>dataset</c> only.
/// </summary>
internal sealed class RunInstruments : IDisposable
{
    /// <summary>The meter's name, for exporters and listeners.</summary>
    public const string MeterName = "LetsData";

    /// <summary>The histograms and the bounds their exporters must use, so that replayed bucket counts stay exact.</summary>
    public static IReadOnlyList<(string Name, IReadOnlyList<double> Bounds)> Histograms { get; } =
    [
        ("letsdata.plugin.call.duration", ProcessMeasures.PluginCallSeconds.Bounds),
        ("letsdata.checkpoint.duration", ProcessMeasures.CheckpointSeconds.Bounds),
        ("letsdata.sink.batch.size", ProcessMeasures.SinkBatchRecords.Bounds),
    ];

    private static readonly TimeSpan ReplayPeriod = TimeSpan.FromSeconds(1);

    private readonly Meter _meter = new(MeterName);
    private readonly KeyValuePair<string, object?> _dataset;
    private readonly Func<MeasuresSnapshot> _measures;
    private readonly MeasuresSnapshot _start;
    private readonly Histogram<double> _pluginCalls;
    private readonly Histogram<double> _checkpoints;
    private readonly Histogram<double> _sinkBatches;
    private readonly Lock _replayGate = new();
    private readonly ITimer _replay;
    private MeasuresSnapshot _replayed;

    /// <param name="dataset">The dataset's name (the <c>dataset</c> tag).</param>
    /// <param name="tally">The per-task totals.</param>
    /// <param name="engineProgress">In-process: the engine's totals, read instead of the tally's live counts.</param>
    /// <param name="leases">The lease renewals and take-overs of the task store's ledger; null when there is none.</param>
    public RunInstruments(string dataset, RunTally tally, RunProgress? engineProgress, LeaseCounts? leases)
    {
        _dataset = new("dataset", dataset);
        Live("letsdata.records", "records read and passed to the plugin", null, tally, engineProgress, p => p.Records);
        Live("letsdata.documents", "documents written", null, tally, engineProgress, p => p.Documents);
        Live("letsdata.errors", "error records written", null, tally, engineProgress, p => p.Errors);
        Live("letsdata.skips", "records skipped", null, tally, engineProgress, p => p.Skips);
        Live("letsdata.scanned.bytes", "bytes scanned (decompressed)", "By", tally, engineProgress, p => p.BytesScanned);
        PerTask("letsdata.read.bytes", "bytes read from storage by ended tasks (compressed size for gzip)", "By", tally, t => t.BytesRead);
        PerTask("letsdata.checkpoints", "checkpoints saved", null, tally, t => t.Checkpoints);
        _meter.CreateObservableCounter("letsdata.tasks", () => tally.Outcomes.Select(o =>
            new Measurement<long>(o.Value, _dataset, new("outcome", o.Key.ToString().ToLowerInvariant()))), description: "tasks ended, by outcome");
        // In-process the engine measures in this process; otherwise the data-task processes' heartbeats bring them.
        _measures = engineProgress is null ? tally.Measures.Snapshot : ProcessMeasures.Snapshot;
        _start = _replayed = _measures();
        _pluginCalls = _meter.CreateHistogram<double>(Histograms[0].Name, "s", "plugin calls by duration (a parser called inside a reader's call is part of that call)");
        _checkpoints = _meter.CreateHistogram<double>(Histograms[1].Name, "s", "checkpoints by duration: flush, fsync and task record write");
        _sinkBatches = _meter.CreateHistogram<double>(Histograms[2].Name, "{record}", "records per request sent by the Kinesis, DynamoDB and SQS writers");
        _meter.CreateObservableCounter("letsdata.sink.retries", () => new Measurement<long>(_measures().SinkRetries - _start.SinkRetries, _dataset),
            description: "requests a writer sent again (all or part of a batch)");
        _meter.CreateObservableCounter("letsdata.sink.throttles", () => new Measurement<long>(_measures().SinkThrottles - _start.SinkThrottles, _dataset),
            description: "of those, the ones the service throttled");
        _replay = TimeProvider.System.CreateTimer(_ => Replay(), null, ReplayPeriod, ReplayPeriod);
        if (leases is not null)
        {
            _meter.CreateObservableCounter("letsdata.lease.renewals", () => new Measurement<long>(leases.Renewals(), _dataset),
                description: "task leases renewed by this worker");
            _meter.CreateObservableCounter("letsdata.lease.takeovers", () => new Measurement<long>(leases.TakeOvers(), _dataset),
                description: "tasks taken over from workers that left them");
        }
    }

    /// <summary>Replays what was measured since the last replay into the histograms (the run's end calls it once more).</summary>
    public void Replay()
    {
        lock (_replayGate)
        {
            var now = _measures();
            var increase = now.Minus(_replayed);
            _replayed = now;
            Replay(_pluginCalls, ProcessMeasures.PluginCallSeconds, increase.PluginCalls);
            Replay(_checkpoints, ProcessMeasures.CheckpointSeconds, increase.Checkpoints);
            Replay(_sinkBatches, ProcessMeasures.SinkBatchRecords, increase.SinkBatches);
        }
    }

    public void Dispose()
    {
        _replay.Dispose();
        _meter.Dispose();
    }

    // Nobody listening (no exporter): nothing to replay, and nothing costs anything.
    private void Replay(Histogram<double> histogram, BucketHistogram buckets, long[] counts)
    {
        if (!histogram.Enabled)
        {
            return;
        }

        for (var i = 0; i < counts.Length; i++)
        {
            var value = buckets.Representative(i);
            for (var n = 0L; n < counts[i]; n++)
            {
                histogram.Record(value, _dataset);
            }
        }
    }

    // Per task from the tally's live counts; in-process, the engine's totals for the whole run.
    private void Live(string name, string description, string? unit, RunTally tally, RunProgress? engineProgress, Func<RunProgress, long> value)
    {
        if (engineProgress is null)
        {
            PerTask(name, description, unit, tally, t => value(t.Live));
            return;
        }

        _meter.CreateObservableCounter(name, () => new Measurement<long>(value(engineProgress), _dataset), unit, description);
    }

    private void PerTask(string name, string description, string? unit, RunTally tally, Func<TaskTally, long> value) =>
        _meter.CreateObservableCounter(name, () => tally.Tasks.Select(t => new Measurement<long>(value(t.Value), _dataset, new("task", t.Key))),
            unit, description);
}

/// <summary>Reads a ledger's lease renewals and take-overs.</summary>
internal sealed record LeaseCounts(Func<long> Renewals, Func<long> TakeOvers);

using System.Diagnostics.Metrics;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Observability;

/// <summary>
/// The run's instruments on the <c>LetsData</c> meter. All are observable: they read totals the run keeps anyway (the
/// tally, the engine's progress, the ledger's lease counts) when a reader collects, so no record pays for them.
/// Counts are tagged <c>dataset</c> and <c>task</c>; in an in-process run the live counts are the engine's run-wide
/// totals and carry <c>dataset</c> only.
/// </summary>
internal sealed class RunInstruments : IDisposable
{
    /// <summary>The meter's name, for exporters and listeners.</summary>
    public const string MeterName = "LetsData";

    private readonly Meter _meter = new(MeterName);
    private readonly KeyValuePair<string, object?> _dataset;

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
        if (leases is not null)
        {
            _meter.CreateObservableCounter("letsdata.lease.renewals", () => new Measurement<long>(leases.Renewals(), _dataset),
                description: "task leases renewed by this worker");
            _meter.CreateObservableCounter("letsdata.lease.takeovers", () => new Measurement<long>(leases.TakeOvers(), _dataset),
                description: "tasks taken over from workers that left them");
        }
    }

    public void Dispose() => _meter.Dispose();

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

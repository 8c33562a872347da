using LetsData.Runtime.Engine;
using LetsData.Runtime.State;
using OpenTelemetry.Metrics;

namespace LetsData.Runtime.Observability;

/// <summary>
/// A run's metrics from start to end: the tally the run feeds, the instruments over it and the exporters.
/// </summary>
internal sealed class RunMetrics : IDisposable
{
    private readonly MeterProvider? _export;
    private readonly RunInstruments _instruments;

    private RunMetrics(MeterProvider? export, RunInstruments instruments, RunTally tally)
    {
        _export = export;
        _instruments = instruments;
        Tally = tally;
    }

    public RunTally Tally { get; }

    /// <summary>
    /// Starts the run's metrics for <paramref name="dataset"/>; null with a problem when the scrape port cannot be used.
    /// </summary>
    /// <param name="dataset">The dataset's name.</param>
    /// <param name="prometheusPort"><c>--metrics-port</c>; null: no scrape endpoint.</param>
    /// <param name="engineProgress">In-process: the engine's live totals; null: the data-task processes' heartbeats feed the tally.</param>
    /// <param name="ledger">The run's ledger, for its lease counts.</param>
    /// <param name="problems">Receives the problem.</param>
    public static RunMetrics? TryStart(string dataset, int? prometheusPort, RunProgress? engineProgress, StoreTaskLedger ledger,
        List<string> problems)
    {
        var tally = new RunTally();
        var instruments = new RunInstruments(dataset, tally, engineProgress, new LeaseCounts(() => ledger.LeaseRenewals, () => ledger.TakeOvers));
        var export = MetricsExport.TryStart(prometheusPort, problems);
        if (problems.Count > 0)
        {
            instruments.Dispose();
            return null;
        }

        return new RunMetrics(export, instruments, tally);
    }

    /// <summary><paramref name="ledger"/> with checkpoints and outcomes counted.</summary>
    public ITaskLedger Metered(ITaskLedger ledger) => new MeteredTaskLedger(ledger, Tally);

    /// <summary>Ends the exporters (OTLP sends the final counts) before the instruments go.</summary>
    public void Dispose()
    {
        _instruments.Replay();
        _export?.Dispose();
        _instruments.Dispose();
    }
}

using System.Diagnostics.Metrics;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Observability;

namespace LetsData.Runtime.Tests.Observability;

public sealed class RunInstrumentsTests
{
    [Test]
    public void ProgressCheckpointsAndOutcomes_AreMeasuredPerDatasetAndTask()
    {
        var tally = new RunTally();
        using var instruments = new RunInstruments("Logs", tally, engineProgress: null, new LeaseCounts(() => 3, () => 1));
        tally.Of("task-0001").Live.Add(records: 10, documents: 8, errors: 1, skips: 1, bytesScanned: 500);
        tally.Of("task-0001").Live.Add(records: 5, documents: 5, errors: 0, skips: 0, bytesScanned: 200);
        tally.Of("task-0002").Live.Add(records: 7, documents: 7, errors: 0, skips: 0, bytesScanned: 300);
        var ledger = new MeteredTaskLedger(new FixedTaskLedger([Task("task-0001"), Task("task-0002")]), tally);
        var first = ledger.TakeNext(CancellationToken.None)!;
        ledger.SaveCheckpoint(first, new TaskCheckpoint());
        ledger.End(first, new TaskResult("task-0001", DataTaskStatus.Completed, null, new TaskCounters { BytesRead = 120 }, TimeSpan.Zero));
        var second = ledger.TakeNext(CancellationToken.None)!;
        ledger.End(second, new TaskResult("task-0002", DataTaskStatus.Errored, "bad", new TaskCounters(), TimeSpan.Zero));

        var measured = Collect("Logs");

        Assert.That(measured[("letsdata.records", "dataset=Logs,task=task-0001")], Is.EqualTo(15));
        Assert.That(measured[("letsdata.records", "dataset=Logs,task=task-0002")], Is.EqualTo(7));
        Assert.That(measured[("letsdata.documents", "dataset=Logs,task=task-0001")], Is.EqualTo(13));
        Assert.That(measured[("letsdata.errors", "dataset=Logs,task=task-0001")], Is.EqualTo(1));
        Assert.That(measured[("letsdata.skips", "dataset=Logs,task=task-0001")], Is.EqualTo(1));
        Assert.That(measured[("letsdata.scanned.bytes", "dataset=Logs,task=task-0001")], Is.EqualTo(700));
        Assert.That(measured[("letsdata.read.bytes", "dataset=Logs,task=task-0001")], Is.EqualTo(120));
        Assert.That(measured[("letsdata.checkpoints", "dataset=Logs,task=task-0001")], Is.EqualTo(1));
        Assert.That(measured[("letsdata.checkpoints", "dataset=Logs,task=task-0002")], Is.Zero);
        Assert.That(measured[("letsdata.tasks", "dataset=Logs,outcome=completed")], Is.EqualTo(1));
        Assert.That(measured[("letsdata.tasks", "dataset=Logs,outcome=errored")], Is.EqualTo(1));
        Assert.That(measured[("letsdata.lease.renewals", "dataset=Logs")], Is.EqualTo(3));
        Assert.That(measured[("letsdata.lease.takeovers", "dataset=Logs")], Is.EqualTo(1));
    }

    [Test]
    public void InProcess_LiveCountsAreTheEnginesTotals_TaggedByDatasetOnly()
    {
        var progress = new RunProgress();
        progress.Add(records: 42, documents: 40, errors: 2, skips: 0, bytesScanned: 1000);
        using var instruments = new RunInstruments("InProcess", new RunTally(), progress, leases: null);

        var measured = Collect("InProcess");

        Assert.That(measured[("letsdata.records", "dataset=InProcess")], Is.EqualTo(42));
        Assert.That(measured[("letsdata.errors", "dataset=InProcess")], Is.EqualTo(2));
        Assert.That(measured.Keys.Select(k => k.Instrument), Does.Not.Contain("letsdata.lease.renewals"));
    }

    private static DataTaskDefinition Task(string id) => new(id, 1, id, []);

    // One collection of every LetsData instrument, the measurements of one dataset: (name, tags) -> value.
    private static Dictionary<(string Instrument, string Tags), long> Collect(string dataset)
    {
        var measured = new Dictionary<(string, string), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RunInstruments.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var pairs = tags.ToArray();
            if (pairs.Contains(new("dataset", dataset)))
            {
                measured[(instrument.Name, string.Join(',', pairs.Select(t => $"{t.Key}={t.Value}")))] = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }
}

using System.Diagnostics.Metrics;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Observability;
using LetsData.Runtime.Measures;

namespace LetsData.Runtime.Tests.Observability;

/// <summary>The bucket histograms behind the plugin call, checkpoint and sink batch metrics, and their replay into the meter.</summary>
public sealed class MeasuresTests
{
    [Test]
    public void AValue_CountsInTheFirstBucketWhoseBoundIsAtLeastIt()
    {
        var histogram = new BucketHistogram([1, 10, 100]);

        foreach (var value in new[] { 0.5, 1, 1.01, 10, 99, 100, 101, 1e9 })
        {
            histogram.Record(value);
        }

        Assert.That(histogram.Counts(), Is.EqualTo(new long[] { 2, 2, 2, 2 }));
    }

    [Test]
    public void Decades_AreOneTwoAndAHalfAndFive()
    {
        Assert.That(BucketHistogram.Decades(-3, 2), Is.EqualTo(new[] { 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2 }), "exactly the decimal values");
    }

    [Test]
    public void Representatives_LieInsideTheirBuckets()
    {
        var histogram = new BucketHistogram([1, 4, 16]);

        Assert.That(Enumerable.Range(0, 4).Select(histogram.Representative), Is.EqualTo(new[] { 0.5, 2, 8, 32 }));
    }

    [Test]
    public void Snapshots_Subtract_AndTotalsAddUpProcesses()
    {
        var totals = new MeasuresTotals();
        var buckets = ProcessMeasures.PluginCallSeconds.Counts().Length;
        var one = new MeasuresSnapshot(Bucket(buckets, 3, 5), Bucket(ProcessMeasures.CheckpointSeconds.Counts().Length, 0, 1),
            Bucket(ProcessMeasures.SinkBatchRecords.Counts().Length, 2, 4), SinkRetries: 2, SinkThrottles: 1);

        totals.Add(one);
        totals.Add(one);
        var sum = totals.Snapshot();

        Assert.That(sum.PluginCalls[3], Is.EqualTo(10));
        Assert.That((sum.SinkRetries, sum.SinkThrottles), Is.EqualTo((4L, 2L)));
        Assert.That(sum.Minus(one).PluginCalls[3], Is.EqualTo(5));
        Assert.That(sum.Minus(sum).IsEmpty, Is.True);
        Assert.That(one.IsEmpty, Is.False);
    }

    [Test]
    public void Supervised_HeartbeatMeasuresAreReplayedIntoTheHistograms_OnceEach()
    {
        var tally = new RunTally();
        using var instruments = new RunInstruments("Replay", tally, engineProgress: null, leases: null);
        using var listener = Listen("Replay", out var recorded);
        var calls = Bucket(ProcessMeasures.PluginCallSeconds.Counts().Length, 5, 3); // 3 calls in the bucket (25 µs, 50 µs]
        tally.Measures.Add(new MeasuresSnapshot(calls, new long[ProcessMeasures.CheckpointSeconds.Counts().Length],
            Bucket(ProcessMeasures.SinkBatchRecords.Counts().Length, 7, 2), SinkRetries: 1, SinkThrottles: 1));

        instruments.Replay();
        instruments.Replay();
        listener.RecordObservableInstruments();

        var pluginCalls = recorded.Where(r => r.Name == "letsdata.plugin.call.duration").Select(r => r.Value).ToList();
        Assert.That(pluginCalls, Has.Count.EqualTo(3), "each call once, however often replayed");
        Assert.That(pluginCalls, Is.All.GreaterThan(25e-6).And.All.LessThanOrEqualTo(50e-6));
        Assert.That(recorded.Where(r => r.Name == "letsdata.sink.batch.size").Select(r => r.Value), Is.EqualTo(new[] { Math.Sqrt(100 * 250), Math.Sqrt(100 * 250) })
            .Within(1e-9), "two batches of 101 to 250 records (bucket 7), replayed at the bucket's middle");
        Assert.That(recorded.Single(r => r.Name == "letsdata.sink.retries").Value, Is.EqualTo(1));
        Assert.That(recorded.Single(r => r.Name == "letsdata.sink.throttles").Value, Is.EqualTo(1));
    }

    [Test]
    public void InProcess_PluginCallsTimedByTheCallSite_AreReplayed()
    {
        using var instruments = new RunInstruments("Timed", new RunTally(), new RunProgress(), leases: null);
        using var listener = Listen("Timed", out var recorded);
        var site = new PluginCallSite("P");

        site.Enter("ISingleFileParser.ParseDocument", "LOG", "a.log", 0);
        site.Exit();
        // A reader's call with a parser called inside it (through the runtime's file reader) is one call.
        site.Enter("IMultipleFileStateMachineReader.ParseDocument");
        site.Enter("ISingleFileStateMachineParser.ParseDocument", "WARC", "a.warc", 10);
        site.Exit();
        site.Resume("IMultipleFileStateMachineReader.ParseDocument", inPluginCall: true);
        site.Exit();
        instruments.Replay();

        Assert.That(recorded.Count(r => r.Name == "letsdata.plugin.call.duration"), Is.EqualTo(2));
    }

    private static long[] Bucket(int length, int index, long count)
    {
        var counts = new long[length];
        counts[index] = count;
        return counts;
    }

    // Every measurement of the LetsData meter's instruments tagged with this dataset.
    private static MeterListener Listen(string dataset, out List<(string Name, double Value)> recorded)
    {
        var seen = new List<(string Name, double Value)>();
        recorded = seen;
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RunInstruments.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Keep(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "dataset", Value: string name } && name == dataset)
                {
                    lock (seen)
                    {
                        seen.Add((instrument.Name, value));
                    }
                }
            }
        }

        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Keep(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Keep(i, v, t));
        listener.Start();
        return listener;
    }
}

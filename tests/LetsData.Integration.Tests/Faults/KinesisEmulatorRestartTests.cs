using System.Text;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Integration.Tests.Kinesis;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing.Kinesis;

namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// The Kinesis write connector while kinesalite crashes (SIGKILL) mid-run. kinesalite with <c>--path</c> keeps streams
/// and records in LevelDB, so a restart on the same port and folder finds the stream and what it stored before. Also
/// frozen (SIGSTOP): connections stay open and silent, and only the client's per-attempt timeout notices.
/// </summary>
public class KinesisEmulatorRestartTests
{
    private const int Lines = 3_000;

    /// <summary>How long one attempt may wait for an answer before it counts as failed (production: 30 s).</summary>
    private static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(1);

    /// <summary>Past two full PutRecords batches (500 records each), so the stream holds records from before the crash.</summary>
    private const int HoldAt = 1_200;

    /// <summary>Outlasts a restart by far: short waits, many attempts, a minute of total backoff.</summary>
    private static readonly KinesisRetryPolicy OutlastsARestart = new()
    {
        MaxAttempts = 10_000, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200),
        MaxTotalDelay = TimeSpan.FromMinutes(1),
    };

    /// <summary>Spent in well under a second while the emulator is down.</summary>
    private static readonly KinesisRetryPolicy Short = new()
    {
        MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(10), MaxDelay = TimeSpan.FromMilliseconds(50),
        MaxTotalDelay = TimeSpan.FromSeconds(5),
    };

    [Test]
    public async Task EveryDocumentIsInTheStreamAfterTheEmulatorRestartsMidWrite()
    {
        var content = LineFiles.Generate(Lines, 200);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        var watch = new FailureWatch(new SocketsHttpHandler());
        using var setup = await StartAsync(watch, OutlastsARestart);

        // Restarted once the sink has met the dead emulator and is retrying.
        var summary = await setup.BreakAtGateAsync(content, HoldAt, EmulatorFault.KillThenRestart, () => watch.FirstFailure.IsCompleted);

        OneTaskRun.AssertCompleted(summary);
        Assert.That(setup.Errors.Errors, Is.Empty);
        var (stored, duplicates) = await StoredAsync(setup);
        TestContext.Out.WriteLine(
            $"{stored.Count} records for {expected.Count} documents ({duplicates} duplicates, at-least-once); {watch.Failures} requests failed while the emulator was down");
        Assert.That(stored.ToHashSet(StringComparer.Ordinal), Is.EquivalentTo(expected), "every document, and nothing else");
        Assert.That(stored, Has.Count.GreaterThanOrEqualTo(expected.Count));
        Assert.That(setup.Emulator.Starts, Is.EqualTo(2));
    }

    [Test]
    public async Task APutRecordsCutOffMidBodyByTheCrashIsSentAgainWhole()
    {
        var content = LineFiles.Generate(Lines, 200);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        var watch = new FailureWatch(new SocketsHttpHandler());

        // The third batch: two are stored before the crash.
        var hold = new HalfSentRequestHold("PutRecords", 3, watch);
        using var setup = await StartAsync(hold, OutlastsARestart);
        var emulator = setup.Emulator;

        // Not the record-gate scenario: the crash must land inside one request's body, so the transport holds it there.
        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(), setup.Factory, setup.Errors);
        await Task.WhenAny(hold.HalfSent, run).WaitAsync(OneTaskRun.Guard);
        Assert.That(hold.HalfSent.IsCompleted, Is.True, () => $"the run ended before the third PutRecords: {OneTaskRun.Describe(run.Result)}");
        emulator.Kill();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await emulator.StartAsync();
        hold.Release();
        var summary = await run.WaitAsync(OneTaskRun.Guard);

        OneTaskRun.AssertCompleted(summary);
        var (stored, duplicates) = await StoredAsync(setup);
        TestContext.Out.WriteLine($"{stored.Count} records for {expected.Count} documents ({duplicates} duplicates); {watch.Failures} requests failed");
        Assert.That(stored.ToHashSet(StringComparer.Ordinal), Is.EquivalentTo(expected), "every document, and nothing else");
        Assert.That(watch.Failures, Is.GreaterThanOrEqualTo(1), "the cut-off request failed and was sent again");
    }

    [Test]
    public async Task AnEmulatorThatDoesNotComeBackFailsTheTaskNamingTheStreamWithinTheBudget()
    {
        var content = LineFiles.Generate(Lines, 200);
        var watch = new FailureWatch(new SocketsHttpHandler());
        using var setup = await StartAsync(watch, Short);

        var summary = await setup.BreakAtGateAsync(content, HoldAt, EmulatorFault.KillForGood);

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"stream '{setup.Target}'").And.Contain("PutRecords")
            .And.Contain($"after {Short.MaxAttempts} attempts").And.Contain("Connection refused"));
        Assert.That(watch.Failures, Is.EqualTo(Short.MaxAttempts), "one batch's attempts, then the task stops sending");
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    [Test]
    public async Task EveryDocumentIsInTheStreamAfterTheEmulatorFreezesAndThaws()
    {
        var content = LineFiles.Generate(Lines, 200);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        var watch = new FailureWatch(new SocketsHttpHandler());
        using var setup = await StartAsync(watch, OutlastsARestart, SilenceLimit);

        // Thawed once an attempt timed out against the silent emulator; the retries queue up in its listen backlog.
        var summary = await setup.BreakAtGateAsync(content, HoldAt, EmulatorFault.FreezeThenThaw, () => watch.FirstFailure.IsCompleted);

        OneTaskRun.AssertCompleted(summary);
        var (stored, duplicates) = await StoredAsync(setup);

        // The thawed emulator also serves the requests the client had given up on: those records arrive twice.
        TestContext.Out.WriteLine($"{stored.Count} records for {expected.Count} documents ({duplicates} duplicates); {watch.Failures} attempts timed out");
        Assert.That(stored.ToHashSet(StringComparer.Ordinal), Is.EquivalentTo(expected), "every document, and nothing else");
    }

    [Test]
    public async Task AnEmulatorFrozenForGoodFailsTheTaskNamingTheStreamWithinTheBudget()
    {
        var content = LineFiles.Generate(Lines, 200);
        using var setup = await StartAsync(new SocketsHttpHandler(), Short, SilenceLimit);

        var summary = await setup.BreakAtGateAsync(content, HoldAt, EmulatorFault.FreezeForGood);

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"stream '{setup.Target}'").And.Contain("PutRecords")
            .And.Contain($"after {Short.MaxAttempts} attempts").And.Contain("RequestTimeout"));
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    /// <summary>
    /// A test's own kinesalite with a two-shard stream, and the sink under test writing to it. The client's
    /// <c>transport</c> is where a test watches or holds requests.
    /// </summary>
    private static Task<SinkUnderTest<KinesisClient, KinesisDocumentSinkFactory>> StartAsync(
        HttpMessageHandler transport, KinesisRetryPolicy retries, TimeSpan? requestTimeout = null) =>
        SinkUnderTest<KinesisClient, KinesisDocumentSinkFactory>.StartAsync(
            RestartableEmulator.Kinesis(),
            endpoint => KinesisClient.Create(new AwsJsonClientOptions
            {
                Endpoint = endpoint,
                InnerHandler = transport,
                RetryPolicy = retries,
                RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(20),
            }),
            client => KinesisStreams.CreateAsync(client, shards: 2),
            (client, stream) => new KinesisDocumentSinkFactory(client, stream, compressRecords: false, ownsClient: false));

    /// <summary>Every record in the stream as text, and how many of them repeat another (delivery is at-least-once).</summary>
    private static async Task<(List<string> Stored, int Duplicates)> StoredAsync(SinkUnderTest<KinesisClient, KinesisDocumentSinkFactory> setup)
    {
        var stored = (await KinesisStreams.ReadAllAsync(setup.Client, setup.Target)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
        return (stored, stored.Count - stored.Distinct(StringComparer.Ordinal).Count());
    }
}

using System.Text;
using LetsData.Integration.Tests.Kinesis;
using LetsData.Integration.Tests.Support;
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
        using var emulator = RestartableEmulator.Kinesis();
        await emulator.StartAsync();
        var watch = new FailureWatch(new SocketsHttpHandler());
        using var client = NewClient(emulator, watch, OutlastsARestart);
        var stream = await KinesisStreams.CreateAsync(client, shards: 2);
        using var factory = new KinesisDocumentSinkFactory(client, stream, compressRecords: false, ownsClient: false);
        var gate = new RecordGate();
        var errors = new CapturingSinks();

        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(gate, HoldAt), factory, errors);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Kill();
        gate.Release();

        // The sink has met the dead emulator and is retrying before it comes back.
        await watch.FirstFailure.WaitAsync(OneTaskRun.Guard);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await emulator.StartAsync();
        var summary = await run.WaitAsync(OneTaskRun.Guard);

        OneTaskRun.AssertCompleted(summary);
        Assert.That(errors.Errors, Is.Empty);
        var stored = (await KinesisStreams.ReadAllAsync(client, stream)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
        var duplicates = stored.Count - stored.Distinct(StringComparer.Ordinal).Count();
        TestContext.Out.WriteLine(
            $"{stored.Count} records for {expected.Count} documents ({duplicates} duplicates, at-least-once); {watch.Failures} requests failed while the emulator was down");
        Assert.That(stored.ToHashSet(StringComparer.Ordinal), Is.EquivalentTo(expected), "every document, and nothing else");
        Assert.That(stored, Has.Count.GreaterThanOrEqualTo(expected.Count));
        Assert.That(emulator.Starts, Is.EqualTo(2));
    }

    [Test]
    public async Task APutRecordsCutOffMidBodyByTheCrashIsSentAgainWhole()
    {
        var content = LineFiles.Generate(Lines, 200);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        using var emulator = RestartableEmulator.Kinesis();
        await emulator.StartAsync();
        var watch = new FailureWatch(new SocketsHttpHandler());

        // The third batch: two are stored before the crash.
        var hold = new HalfSentRequestHold("PutRecords", 3, watch);
        using var client = NewClient(emulator, hold, OutlastsARestart);
        var stream = await KinesisStreams.CreateAsync(client, shards: 2);
        using var factory = new KinesisDocumentSinkFactory(client, stream, compressRecords: false, ownsClient: false);
        var errors = new CapturingSinks();

        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(), factory, errors);
        await Task.WhenAny(hold.HalfSent, run).WaitAsync(OneTaskRun.Guard);
        Assert.That(hold.HalfSent.IsCompleted, Is.True, () => $"the run ended before the third PutRecords: {OneTaskRun.Describe(run.Result)}");
        emulator.Kill();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await emulator.StartAsync();
        hold.Release();
        var summary = await run.WaitAsync(OneTaskRun.Guard);

        OneTaskRun.AssertCompleted(summary);
        var stored = (await KinesisStreams.ReadAllAsync(client, stream)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
        var duplicates = stored.Count - stored.Distinct(StringComparer.Ordinal).Count();
        TestContext.Out.WriteLine($"{stored.Count} records for {expected.Count} documents ({duplicates} duplicates); {watch.Failures} requests failed");
        Assert.That(stored.ToHashSet(StringComparer.Ordinal), Is.EquivalentTo(expected), "every document, and nothing else");
        Assert.That(watch.Failures, Is.GreaterThanOrEqualTo(1), "the cut-off request failed and was sent again");
    }

    [Test]
    public async Task AnEmulatorThatDoesNotComeBackFailsTheTaskNamingTheStreamWithinTheBudget()
    {
        var content = LineFiles.Generate(Lines, 200);
        using var emulator = RestartableEmulator.Kinesis();
        await emulator.StartAsync();
        var watch = new FailureWatch(new SocketsHttpHandler());
        using var client = NewClient(emulator, watch, Short);
        var stream = await KinesisStreams.CreateAsync(client, shards: 2);
        using var factory = new KinesisDocumentSinkFactory(client, stream, compressRecords: false, ownsClient: false);
        var gate = new RecordGate();
        var errors = new CapturingSinks();

        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(gate, HoldAt), factory, errors);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Kill();
        gate.Release();
        var summary = await run.WaitAsync(OneTaskRun.Guard);

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"stream '{stream}'").And.Contain("PutRecords")
            .And.Contain($"after {Short.MaxAttempts} attempts").And.Contain("Connection refused"));
        Assert.That(watch.Failures, Is.EqualTo(Short.MaxAttempts), "one batch's attempts, then the task stops sending");
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    [Test]
    public async Task EveryDocumentIsInTheStreamAfterTheEmulatorFreezesAndThaws()
    {
        var content = LineFiles.Generate(Lines, 200);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        using var emulator = RestartableEmulator.Kinesis();
        await emulator.StartAsync();
        var watch = new FailureWatch(new SocketsHttpHandler());
        using var client = NewClient(emulator, watch, OutlastsARestart, SilenceLimit);
        var stream = await KinesisStreams.CreateAsync(client, shards: 2);
        using var factory = new KinesisDocumentSinkFactory(client, stream, compressRecords: false, ownsClient: false);
        var gate = new RecordGate();
        var errors = new CapturingSinks();

        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(gate, HoldAt), factory, errors);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Freeze();
        try
        {
            gate.Release();

            // An attempt timed out against the silent emulator; the retries queue up in its listen backlog.
            await watch.FirstFailure.WaitAsync(OneTaskRun.Guard);
        }
        finally
        {
            emulator.Thaw();
        }

        var summary = await run.WaitAsync(OneTaskRun.Guard);

        OneTaskRun.AssertCompleted(summary);
        var stored = (await KinesisStreams.ReadAllAsync(client, stream)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
        var duplicates = stored.Count - stored.Distinct(StringComparer.Ordinal).Count();

        // The thawed emulator also serves the requests the client had given up on: those records arrive twice.
        TestContext.Out.WriteLine($"{stored.Count} records for {expected.Count} documents ({duplicates} duplicates); {watch.Failures} attempts timed out");
        Assert.That(stored.ToHashSet(StringComparer.Ordinal), Is.EquivalentTo(expected), "every document, and nothing else");
    }

    [Test]
    public async Task AnEmulatorFrozenForGoodFailsTheTaskNamingTheStreamWithinTheBudget()
    {
        var content = LineFiles.Generate(Lines, 200);
        using var emulator = RestartableEmulator.Kinesis();
        await emulator.StartAsync();
        using var client = NewClient(emulator, new SocketsHttpHandler(), Short, SilenceLimit);
        var stream = await KinesisStreams.CreateAsync(client, shards: 2);
        using var factory = new KinesisDocumentSinkFactory(client, stream, compressRecords: false, ownsClient: false);
        var gate = new RecordGate();
        var errors = new CapturingSinks();

        var run = OneTaskRun.Start(new InMemoryFileSource().Add(OneTaskRun.FileName, content), () => new GatedLineParser(gate, HoldAt), factory, errors);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Freeze();
        RunSummary summary;
        try
        {
            gate.Release();
            summary = await run.WaitAsync(OneTaskRun.Guard);
        }
        finally
        {
            emulator.Thaw();
        }

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"stream '{stream}'").And.Contain("PutRecords")
            .And.Contain($"after {Short.MaxAttempts} attempts").And.Contain("RequestTimeout"));
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    private static KinesisClient NewClient(RestartableEmulator emulator, HttpMessageHandler transport, KinesisRetryPolicy retries, TimeSpan? requestTimeout = null) =>
        KinesisClient.Create(new KinesisClientOptions
        {
            Endpoint = emulator.Endpoint,
            InnerHandler = transport,
            RetryPolicy = retries,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(20),
        });
}

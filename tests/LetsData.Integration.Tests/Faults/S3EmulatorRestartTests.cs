using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Integration.Tests.Support;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.S3;

namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// The S3 read connector while s3rver crashes (SIGKILL) in the middle of a large object and comes back on the same
/// port and folder: the read resumes with a ranged GET from the last byte received and the documents equal those of
/// an undisturbed run. Also frozen (SIGSTOP), where the connection stays open and silent: the read gives up on the
/// silence, resumes once the emulator thaws, or fails the task with a clear message; it never hangs.
/// </summary>
public class S3EmulatorRestartTests
{
    private const string Bucket = "letsdata-faults";

    /// <summary>
    /// 24 MB: several times what the kernel's socket buffers and the engine's read-ahead (about 1 MB) can hold, so
    /// the body is surely still being sent when the emulator dies.
    /// </summary>
    private const int Lines = 24_000;

    private const int LineBytes = 1_000;

    /// <summary>The parser holds here, about 2 MB into the object.</summary>
    private const int HoldAt = 2_000;

    /// <summary>How long a read may get nothing before the connection counts as dropped (production: 60 s).</summary>
    private static readonly TimeSpan SilenceLimit = TimeSpan.FromSeconds(1);

    /// <summary>Outlasts a restart by far: short waits, many attempts.</summary>
    private static readonly S3ResumeOptions OutlastsARestart = new()
    {
        MaxAttempts = 10_000, InitialBackoff = TimeSpan.FromMilliseconds(10), MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    /// <summary>Spent in about a second while the emulator is down.</summary>
    private static readonly S3ResumeOptions Short = new()
    {
        MaxAttempts = 5, InitialBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    [Test]
    public async Task AnObjectReadAcrossAnEmulatorRestartResumesAndEqualsAnUndisturbedRun()
    {
        var content = LineFiles.Generate(Lines, LineBytes);
        using var emulator = RestartableEmulator.S3(Bucket);
        await emulator.StartAsync();
        await UploadAsync(emulator, content);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        var gets = new GetRangeRecorder();
        using var source = S3FileSource.Create(Bucket, "", forcePathStyle: true, OutlastsARestart, c =>
        {
            c.ServiceURL = emulator.Endpoint.ToString();
            c.HttpClientFactory = gets;
        });
        var gate = new RecordGate();
        var sinks = new CapturingSinks();

        var run = OneTaskRun.Start(source, () => new GatedLineParser(gate, HoldAt), sinks, sinks);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Kill();
        gate.Release();

        // The reader has drained what the sockets held, lost the connection and is retrying against the dead port.
        await gets.FirstUnansweredGet.WaitAsync(OneTaskRun.Guard);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await emulator.StartAsync();
        var summary = await run.WaitAsync(OneTaskRun.Guard);

        OneTaskRun.AssertCompleted(summary);
        Assert.That(sinks.Serialized, Has.Count.EqualTo(Lines));
        Assert.That(sinks.Serialized, Is.EqualTo(expected), "documents in order, none lost, none repeated");
        var ranges = gets.Ranges.ToList();
        Assert.That(ranges[0], Is.Null, "the first GET reads the whole object");
        var resumedFrom = ranges.Skip(1).Select(ResumeOffset).ToList();
        Assert.That(resumedFrom, Has.Count.GreaterThanOrEqualTo(2), "at least one refused and one answered ranged GET");
        Assert.That(resumedFrom.Distinct().ToList(), Has.Count.EqualTo(1), "every attempt resumes from the same byte: nothing was read while down");
        Assert.That(resumedFrom[0], Is.GreaterThanOrEqualTo((long)HoldAt * LineBytes).And.LessThan(content.LongLength),
            "resumed past what the parser had seen, never from zero");
        TestContext.Out.WriteLine($"{ranges.Count} GETs: whole object, then {resumedFrom.Count} x bytes={resumedFrom[0]}-");
    }

    [Test]
    public async Task AnEmulatorThatDoesNotComeBackFailsTheTaskNamingTheObjectAndOffset()
    {
        var content = LineFiles.Generate(Lines, LineBytes);
        using var emulator = RestartableEmulator.S3(Bucket);
        await emulator.StartAsync();
        await UploadAsync(emulator, content);
        using var source = S3FileSource.Create(Bucket, "", forcePathStyle: true, Short, c =>
        {
            c.ServiceURL = emulator.Endpoint.ToString();

            // The connector's resume budget is under test, not the SDK's retries inside each attempt.
            c.MaxErrorRetry = 0;
        });
        var gate = new RecordGate();
        var sinks = new CapturingSinks();

        var run = OneTaskRun.Start(source, () => new GatedLineParser(gate, HoldAt), sinks, sinks);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Kill();
        gate.Release();
        var summary = await run.WaitAsync(OneTaskRun.Guard);

        var task = summary.Tasks.Single();
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain($"s3://{Bucket}/{OneTaskRun.FileName}")
            .And.Contain("byte offset").And.Contain($"after {Short.MaxAttempts} resume attempt(s)"));
        Assert.That(sinks.Serialized, Has.Count.GreaterThanOrEqualTo(HoldAt - 1).And.Count.LessThan(Lines));
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    [Test]
    public async Task AFrozenEmulatorThatThawsIsReadThroughAndEqualsAnUndisturbedRun()
    {
        var content = LineFiles.Generate(Lines, LineBytes);
        using var emulator = RestartableEmulator.S3(Bucket);
        await emulator.StartAsync();
        await UploadAsync(emulator, content);
        var expected = await OneTaskRun.UndisturbedDocumentsAsync(content);
        var gets = new GetRangeRecorder();
        using var source = S3FileSource.Create(Bucket, "", forcePathStyle: true, OutlastsARestart with { ReadTimeout = SilenceLimit }, c =>
        {
            c.ServiceURL = emulator.Endpoint.ToString();
            c.HttpClientFactory = gets;
        });
        var gate = new RecordGate();
        var sinks = new CapturingSinks();

        var run = OneTaskRun.Start(source, () => new GatedLineParser(gate, HoldAt), sinks, sinks);
        await OneTaskRun.WaitAtGateAsync(gate, run);
        emulator.Freeze();
        try
        {
            gate.Release();

            // The silent body was given up and a ranged GET is waiting for the frozen emulator.
            await WaitForAsync(() => gets.Ranges.Count >= 2, run);
        }
        finally
        {
            emulator.Thaw();
        }

        var summary = await run.WaitAsync(OneTaskRun.Guard);

        OneTaskRun.AssertCompleted(summary);
        Assert.That(sinks.Serialized, Is.EqualTo(expected), "documents in order, none lost, none repeated");
        var resumedFrom = gets.Ranges.Skip(1).Select(ResumeOffset).ToList();
        Assert.That(resumedFrom, Has.All.GreaterThanOrEqualTo((long)HoldAt * LineBytes).And.All.LessThan(content.LongLength));
        TestContext.Out.WriteLine($"{gets.Ranges.Count} GETs: whole object, then {string.Join(", ", resumedFrom.Select(o => $"bytes={o}-"))}");
    }

    [Test]
    public async Task AnEmulatorFrozenForGoodFailsTheTaskNamingTheObjectAndOffsetInsteadOfHanging()
    {
        var content = LineFiles.Generate(Lines, LineBytes);
        using var emulator = RestartableEmulator.S3(Bucket);
        await emulator.StartAsync();
        await UploadAsync(emulator, content);
        var resume = Short with { MaxAttempts = 2, ReadTimeout = SilenceLimit };
        using var source = S3FileSource.Create(Bucket, "", forcePathStyle: true, resume, c => c.ServiceURL = emulator.Endpoint.ToString());
        var gate = new RecordGate();
        var sinks = new CapturingSinks();

        var run = OneTaskRun.Start(source, () => new GatedLineParser(gate, HoldAt), sinks, sinks);
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
        Assert.That(task.ErrorMessage, Does.Contain($"s3://{Bucket}/{OneTaskRun.FileName}").And.Contain("byte offset")
            .And.Contain($"after {resume.MaxAttempts} resume attempt(s)").And.Contain("no data from S3 for 1 s"));
        TestContext.Out.WriteLine(task.ErrorMessage);
    }

    private static async Task WaitForAsync(Func<bool> condition, Task run)
    {
        using var guard = new CancellationTokenSource(OneTaskRun.Guard);
        while (!condition())
        {
            Assert.That(run.IsCompleted, Is.False, "the run ended before the condition was met");
            await Task.Delay(10, guard.Token);
        }
    }

    private static async Task UploadAsync(RestartableEmulator emulator, byte[] content)
    {
        using var client = new AmazonS3Client(new AmazonS3Config { ServiceURL = emulator.Endpoint.ToString(), ForcePathStyle = true });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = Bucket, Key = OneTaskRun.FileName, InputStream = new MemoryStream(content) });
    }

    /// <summary>N of "bytes=N-".</summary>
    private static long ResumeOffset(string? range)
    {
        Assert.That(range, Does.StartWith("bytes=").And.EndWith("-"), "every later GET is a ranged one");
        return long.Parse(range!["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}

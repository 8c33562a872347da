using System.Diagnostics;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Integration.Tests.Support;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Integration.Tests.S3;

/// <summary>
/// S3 output that a resumed task continues mid-task, against s3rver (with the wrapper's ListParts and abort): a
/// checkpoint leaves the object's bytes in S3 (parts plus segment objects) without completing it, and a later attempt
/// continues from there, so the completed object is the one an undisturbed writer makes.
/// </summary>
public class S3OutputResumeTests
{
    private const int PartSize = 5 * 1024 * 1024; // S3's smallest part
    private const string TaskId = "task-0001";
    private const int MaxSegments = 16; // S3CheckpointSegments.MaxSegments

    private static readonly Document AnyDocument = new("id", "T", null, new Dictionary<string, object?>());

    private string _bucket = "";
    private AmazonS3Client _client = null!;

    [OneTimeSetUp]
    public async Task CreateTheBucket()
    {
        _bucket = $"letsdata-resume-{Guid.NewGuid().ToString("N")[..12]}";
        _client = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true });
        await _client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
    }

    [OneTimeTearDown]
    public void DisposeTheClient() => _client.Dispose();

    /// <summary>An output under one part (segments only) and one of several parts (16 MB, 12 MB gzipped: parts plus segments).</summary>
    public enum Size
    {
        UnderOnePart,
        SeveralParts,
    }

    [TestCase(false, Size.UnderOnePart)]
    [TestCase(true, Size.UnderOnePart)]
    [TestCase(false, Size.SeveralParts)]
    [TestCase(true, Size.SeveralParts)]
    public async Task AWriterResumedAfterACrash_CompletesTheObjectAnUndisturbedWriterMakes(bool gzip, Size size)
    {
        var lines = Lines(size);
        var prefix = $"crash-{gzip}-{size}/";
        var expected = await UndisturbedAsync(prefix, gzip, lines);

        // The first attempt: three checkpoints, then more lines (a part upload among them when the output is large)
        // and a crash-like end without Complete.
        string position;
        using (var first = Open(prefix + "resumed/", gzip, resumeFrom: null))
        {
            Write(first, lines, 0, lines.Count * 3 / 10);
            Checkpoint(first);
            Write(first, lines, lines.Count * 3 / 10, lines.Count * 45 / 100);
            Checkpoint(first);
            Write(first, lines, lines.Count * 45 / 100, lines.Count / 2);
            position = Checkpoint(first);
            Write(first, lines, lines.Count / 2, lines.Count * 8 / 10);
        }

        var uploadId = JsonDocument.Parse(position).RootElement.TryGetProperty("uploadId", out var id) ? id.GetString() : null;
        Assert.That(uploadId, size == Size.SeveralParts ? Is.Not.Null : Is.Null, "the case exercises parts (or segments only)");
        if (size == Size.SeveralParts)
        {
            // What a part costs in a checkpoint (the README's limit for the task ledger's 350 KB is computed from it).
            var parts = JsonDocument.Parse(position).RootElement.GetProperty("parts");
            Assert.That(parts.GetArrayLength(), Is.GreaterThan(0));
            var perPart = (double)parts.GetRawText().Length / parts.GetArrayLength();
            TestContext.Out.WriteLine($"position JSON per part: {perPart:0.0} bytes ({parts[0].GetRawText()})");
            Assert.That(perPart, Is.LessThan(80), "one part, as S3 answers it here");
        }
        Assert.That(await KeysAsync(prefix + "resumed/"), Is.Not.Empty.And.All.Contain(".inprogress-"), "only segments so far");

        ResumeAndFinish(prefix + "resumed/", gzip, position, lines, lines.Count / 2);

        var key = prefix + "resumed/" + ObjectName(gzip, errored: false);
        var actual = await GetBytesAsync(key);
        Assert.That(await KeysAsync(prefix + "resumed/"), Is.EqualTo(new[] { key }), "the segments are gone");
        if (gzip)
        {
            var bytesAtCheckpoint = JsonDocument.Parse(position).RootElement.GetProperty("bytes").GetInt64();
            Assert.That(actual.AsSpan((int)bytesAtCheckpoint, 3).ToArray(), Is.EqualTo(new byte[] { 0x1f, 0x8b, 8 }),
                "the resumed writer's lines are a new gzip member right at the checkpoint");
            Assert.That(Gunzip(actual), Is.EqualTo(Gunzip(expected)));
            Assert.That(GunzipWithTheGzipTool(actual), Is.EqualTo(Gunzip(expected)), "gunzip reads the members as one stream");
        }
        else
        {
            Assert.That(actual.Length, Is.EqualTo(expected.Length));
            Assert.That(actual, Is.EqualTo(expected), "byte for byte; the first attempt's lines after its checkpoint are not in it");
        }
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task AResumeAfterTheEarlierAttemptCompletedAsErrored_RebuildsFromTheErroredObject_WhichIsGoneAfterwards(bool gzip)
    {
        var lines = Lines(Size.SeveralParts);
        var prefix = $"errored-then-redriven-{gzip}/";
        var expected = await UndisturbedAsync(prefix, gzip, lines);

        string position;
        using (var first = Open(prefix + "resumed/", gzip, resumeFrom: null))
        {
            Write(first, lines, 0, lines.Count / 2);
            position = Checkpoint(first);
            Write(first, lines, lines.Count / 2, lines.Count * 7 / 10);
            first.Complete(succeeded: false);
        }

        var errored = prefix + "resumed/" + ObjectName(gzip, errored: true);
        Assert.That(await KeysAsync(prefix + "resumed/"), Is.EqualTo(new[] { errored }), "the errored object, no upload left to continue");

        ResumeAndFinish(prefix + "resumed/", gzip, position, lines, lines.Count / 2);

        var key = prefix + "resumed/" + ObjectName(gzip, errored: false);
        Assert.That(await KeysAsync(prefix + "resumed/"), Is.EqualTo(new[] { key }), "the errored object is replaced by the completed one");
        var actual = await GetBytesAsync(key);
        if (gzip)
        {
            Assert.That(Gunzip(actual), Is.EqualTo(Gunzip(expected)));
            Assert.That(GunzipWithTheGzipTool(actual), Is.EqualTo(Gunzip(expected)), "complete gzip members only");
        }
        else
        {
            Assert.That(actual.Length, Is.EqualTo(expected.Length));
            Assert.That(actual, Is.EqualTo(expected));
        }
    }

    /// <summary>How the stale errored object compares with the checkpoint's bytes.</summary>
    public enum Stale
    {
        SameLength,
        Longer,
    }

    [TestCase(false, Stale.SameLength)]
    [TestCase(false, Stale.Longer)]
    [TestCase(true, Stale.Longer)]
    public async Task AStaleErroredObjectOfAnotherAttempt_IsNotCopied_EvenWhenItHoldsEnoughBytes(bool gzip, Stale stale)
    {
        var lines = Lines(Size.SeveralParts);
        var other = OtherLines(lines);
        var prefix = $"stale-errored-{gzip}-{stale}/";
        var count = lines.Count * 4 / 10;
        // An earlier attempt errored with its own bytes (other lines: here of the same length line by line) ...
        using (var earlier = Open(prefix, gzip, resumeFrom: null))
        {
            Write(earlier, other, 0, stale == Stale.SameLength ? count : count + 2000);
            earlier.Complete(succeeded: false);
        }

        // ... the checkpoint's attempt wrote other bytes, and what it left in S3 is gone (its upload aborted).
        string position;
        using (var checkpointed = Open(prefix, gzip, resumeFrom: null))
        {
            Write(checkpointed, lines, 0, count);
            position = Checkpoint(checkpointed);
        }

        var bytes = JsonDocument.Parse(position).RootElement.GetProperty("bytes").GetInt64();
        var errored = prefix + ObjectName(gzip, errored: true);
        var length = (await S3Objects.ListAsync(_client, _bucket, errored)).Single().Size;
        Assert.That(length, stale == Stale.SameLength ? Is.EqualTo(bytes) : Is.GreaterThan(bytes), "the errored object holds enough bytes");
        var key = prefix + ObjectName(gzip, errored: false);
        var uploadId = JsonDocument.Parse(position).RootElement.GetProperty("uploadId").GetString()!;
        await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId });

        var e = Assert.Throws<OutputResumeException>(() => Open(prefix, gzip, position));

        Assert.That(e!.Message, Does.Contain($"s3://{_bucket}/{errored}: its first {bytes} bytes are not this checkpoint's"));
        Assert.That(await KeysAsync(prefix), Has.Member(errored).And.None.EqualTo(key), "nothing was made of the stale object");
    }

    [Test]
    public async Task AResumeAfterTheEarlierAttemptCompleted_RebuildsFromTheCompletedObject_PassingOverAStaleErroredOne()
    {
        var lines = Lines(Size.SeveralParts);
        const string prefix = "completed-then-redriven/";
        var expected = await UndisturbedAsync(prefix, true, lines);

        // An older attempt's errored object with other bytes, then the checkpoint's attempt completing the object
        // (its completion not recorded: the task runs again from the checkpoint).
        using (var older = Open(prefix + "resumed/", true, resumeFrom: null))
        {
            Write(older, OtherLines(lines), 0, lines.Count * 8 / 10);
            older.Complete(succeeded: false);
        }

        string position;
        var errored = prefix + "resumed/" + ObjectName(true, errored: true);
        await _client.CopyObjectAsync(_bucket, errored, _bucket, prefix + "stale-copy");
        using (var first = Open(prefix + "resumed/", true, resumeFrom: null))
        {
            Write(first, lines, 0, lines.Count / 2);
            position = Checkpoint(first);
            Write(first, lines, lines.Count / 2, lines.Count);
            first.Complete(succeeded: true);
        }

        // Completing removed the errored object: put the stale one back, as if the order of the attempts were the other.
        await _client.CopyObjectAsync(_bucket, prefix + "stale-copy", _bucket, errored);
        var key = prefix + "resumed/" + ObjectName(true, errored: false);
        Assert.That(await KeysAsync(prefix + "resumed/"), Is.EquivalentTo(new[] { key, errored }));

        ResumeAndFinish(prefix + "resumed/", true, position, lines, lines.Count / 2);

        Assert.That(await KeysAsync(prefix + "resumed/"), Is.EqualTo(new[] { key }));
        var actual = await GetBytesAsync(key);
        Assert.That(Gunzip(actual), Is.EqualTo(Gunzip(expected)), "rebuilt from the completed object, not the errored one");
        Assert.That(GunzipWithTheGzipTool(actual), Is.EqualTo(Gunzip(expected)));
    }

    [Test]
    public void ListPartsRefused_FailsTheResume_NamingTheObjectTheUploadTheRequestAndTheErrorCode()
    {
        var lines = Lines(Size.SeveralParts);
        const string prefix = "list-parts-denied/";
        string position;
        using (var first = Open(prefix, false, resumeFrom: null))
        {
            Write(first, lines, 0, lines.Count / 2);
            position = Checkpoint(first);
        }

        var uploadId = JsonDocument.Parse(position).RootElement.GetProperty("uploadId").GetString()!;
        var denying = DenyingListParts.Wrap(_client);

        var e = Assert.Throws<IOException>(() => Open(prefix, false, position, denying));

        Assert.That(e!.Message, Does.Contain($"s3://{_bucket}/{prefix}{ObjectName(false, errored: false)} (upload {uploadId})")
            .And.Contain("ListParts").And.Contain("AccessDenied (403)"));
        Assert.That(e.InnerException, Is.TypeOf<AmazonS3Exception>());
    }

    [Test]
    public void APositionOfVersion1_CannotBeContinued_TheTaskStartsOver()
    {
        const string position = "{\"v\":1,\"key\":\"v1/task-0001.jsonl\",\"parts\":[],\"segments\":[{\"key\":\"s\",\"length\":3}],\"bytes\":3}";
        var e = Assert.Throws<OutputResumeException>(() => Open("v1/", false, position));
        Assert.That(e!.Message, Does.Contain("version 1").And.Contain("cannot be continued").And.Contain("starts over"));
    }

    [Test]
    public async Task AnAbortedUploadWithNoObject_CannotBeResumed_AndSaysWhatIsMissing()
    {
        var lines = Lines(Size.SeveralParts);
        const string prefix = "aborted/";
        string position;
        using (var first = Open(prefix, false, resumeFrom: null))
        {
            Write(first, lines, 0, lines.Count / 2);
            position = Checkpoint(first);
        }

        var key = prefix + ObjectName(false, errored: false);
        var uploadId = JsonDocument.Parse(position).RootElement.GetProperty("uploadId").GetString()!;
        Assert.That(ListPartNumbers(key, uploadId), Is.Not.Empty, "a crash after a checkpoint keeps the upload open");
        await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId });

        var refused = Assert.ThrowsAsync<AmazonS3Exception>(() => _client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket, Key = key, UploadId = uploadId, PartNumber = 2, InputStream = new MemoryStream([1, 2, 3]),
        }));
        Assert.That(refused!.ErrorCode, Is.EqualTo("NoSuchUpload"), "a stale writer's part cannot revive an aborted upload");

        var e = Assert.Throws<OutputResumeException>(() => Open(prefix, false, position));
        Assert.That(e!.Message, Does.Contain($"s3://{_bucket}/{key}").And.Contain(uploadId).And.Contain("no longer open"));
    }

    [Test]
    public async Task AMissingSegment_CannotBeResumed_AndSaysWhich()
    {
        var lines = Lines(Size.UnderOnePart);
        const string prefix = "missing-segment/";
        string position;
        using (var first = Open(prefix, false, resumeFrom: null))
        {
            Write(first, lines, 0, 100);
            Checkpoint(first);
            Write(first, lines, 100, 200);
            position = Checkpoint(first);
        }

        var segments = await KeysAsync(prefix);
        Assert.That(segments, Has.Count.EqualTo(2));
        await _client.DeleteObjectAsync(_bucket, segments[0]);

        var e = Assert.Throws<OutputResumeException>(() => Open(prefix, false, position));
        Assert.That(e!.Message, Does.Contain($"segment s3://{_bucket}/{segments[0]}").And.Contain("missing"));
    }

    private const string Hashes = ",\"partsHash\":\"0000000000000000\",\"hash\":\"0123456789abcdef\"";

    [TestCase("{\"v\":3,\"key\":\"malformed/task-0001.jsonl\",\"parts\":[],\"segments\":[],\"bytes\":0" + Hashes + "}", "'v'")]
    [TestCase("{\"v\":2,\"key\":\"malformed/task-0001.jsonl\",\"uploadId\":\"u\",\"parts\":[{\"n\":2,\"etag\":\"e\",\"size\":5}],\"segments\":[],\"bytes\":5" + Hashes + "}", "'parts[0]'")]
    [TestCase("{\"v\":2,\"key\":\"malformed/task-0001.jsonl\",\"parts\":[],\"segments\":[{\"key\":\"s\",\"length\":3}],\"bytes\":4" + Hashes + "}", "'bytes'")]
    [TestCase("{\"v\":2,\"key\":\"malformed/task-0001.jsonl\",\"parts\":\"no\",\"segments\":[],\"bytes\":0" + Hashes + "}", "'$.parts'")]
    [TestCase("{\"v\":2,\"key\":\"malformed/task-0001.jsonl\",\"parts\":[],\"segments\":[{\"key\":\"s\",\"length\":3}],\"bytes\":3,\"partsHash\":\"0000000000000000\"}", "'hash'")]
    public void AMalformedPosition_CannotBeResumed_AndNamesTheField(string position, string field)
    {
        var e = Assert.Throws<OutputResumeException>(() => Open("malformed/", false, position));
        Assert.That(e!.Message, Does.Contain(field).And.Contain($"s3://{_bucket}/malformed/task-0001.jsonl"));
    }

    [Test]
    public async Task AStaleWriterReplacingAPartOfTheResumedUpload_FailsTheCompletion_AndNoObjectIsMade()
    {
        var lines = Lines(Size.SeveralParts);
        const string prefix = "stale-writer/";
        var key = prefix + ObjectName(false, errored: false);
        // The earlier attempt lost the task at its checkpoint (part 1 uploaded) but has not noticed: it writes on.
        using var stale = Open(prefix, false, resumeFrom: null);
        Write(stale, lines, 0, lines.Count * 4 / 10);
        var position = Checkpoint(stale);
        var uploadId = JsonDocument.Parse(position).RootElement.GetProperty("uploadId").GetString()!;
        Assert.That(JsonDocument.Parse(position).RootElement.GetProperty("parts").GetArrayLength(), Is.EqualTo(1));

        using var resumed = Open(prefix, false, position);
        Write(resumed, lines, lines.Count * 4 / 10, lines.Count * 8 / 10);
        Assert.That(ListPartNumbers(key, uploadId), Does.Contain(2), "the resumed writer uploaded part 2");
        var staleLines = lines.Select(l => l.Replace("\"n\":", "\"stale\":", StringComparison.Ordinal)).ToList();
        Write(stale, staleLines, lines.Count * 4 / 10, lines.Count * 85 / 100); // its own part 2, later

        Write(resumed, lines, lines.Count * 8 / 10, lines.Count);
        var e = Assert.Throws<IOException>(() => resumed.Complete(succeeded: true));

        Assert.That(e!.Message, Does.Contain($"part 2 of s3://{_bucket}/{key} (upload {uploadId}) was changed by another writer"));
        Assert.That(await KeysAsync(prefix), Has.None.EqualTo(key), "no object of mixed content");
    }

    [Test]
    public async Task ManySmallCheckpoints_StoreMostlyTheNewBytes_KeepThePositionSmall_AndTheSegmentsAreGoneAfterCompletion()
    {
        var lines = Lines(Size.UnderOnePart);
        const string prefix = "incremental/";
        const int checkpoints = 150;
        var perCheckpoint = lines.Count / checkpoints;
        using var writer = Open(prefix, false, resumeFrom: null);
        var position = "";
        for (var i = 0; i < checkpoints; i++)
        {
            Write(writer, lines, i * perCheckpoint, (i + 1) * perCheckpoint);
            position = Checkpoint(writer);
        }

        // The rule: a checkpoint sends the bytes since the one before, except when the position would list a 17th
        // segment: then it sends the whole buffer (all in one part buffer here) and the position lists that one only.
        var written = 0L;
        var expectedTraffic = 0L;
        var listed = 0;
        for (var i = 0; i < checkpoints; i++)
        {
            var fresh = lines.Skip(i * perCheckpoint).Take(perCheckpoint).Sum(l => Encoding.UTF8.GetByteCount(l) + 1);
            written += fresh;
            (expectedTraffic, listed) = listed == MaxSegments ? (expectedTraffic + written, 1) : (expectedTraffic + fresh, listed + 1);
        }

        var segments = await S3Objects.ListAsync(_client, _bucket, prefix);
        Assert.That(segments, Has.Count.EqualTo(checkpoints), "one segment per checkpoint (compacting ones included) until completion");
        var traffic = segments.Sum(s => s.Size ?? 0);
        Assert.That(traffic, Is.EqualTo(expectedTraffic), "15 of 16 checkpoints send only their new bytes, one in 16 the buffer");
        // With equal checkpoints of b bytes: the compacting ones are the 17th, 33rd, .., 145th, sending 17b, 33b, .., 145b:
        // 141 b + 729 b = 870 b for 150 b written, 5.8 times (one buffer per 16 checkpoints: it grows with their number).
        Assert.That(traffic, Is.LessThanOrEqualTo(written * 6));
        var positionSegments = JsonDocument.Parse(position).RootElement.GetProperty("segments");
        Assert.That(positionSegments.GetArrayLength(), Is.EqualTo(listed).And.LessThanOrEqualTo(MaxSegments));
        Assert.That(Encoding.UTF8.GetByteCount(position), Is.LessThan(4096), "the position stays small");

        writer.Complete(succeeded: true);
        Assert.That(await KeysAsync(prefix), Is.EqualTo(new[] { prefix + ObjectName(false, errored: false) }));
    }

    [Test]
    public async Task ATaskWritingToS3_StoppedAtACheckpointAndResumed_CompletesWithTheOutputOfAnUndisturbedRun()
    {
        const int records = 1500;
        var text = string.Concat(Enumerable.Range(0, records).Select(i => i % 10 == 7 ? $"<r>bad {i}\n" : $"<r>line {i}\n"));
        var files = new InMemoryFileSource().Add("lines.txt", Encoding.UTF8.GetBytes(text));
        var task = new DataTaskDefinition(TaskId, 1, "lines.txt", [new ManifestFileRef(null, "lines.txt")]);

        var undisturbed = await RunAsync(files, new FixedTaskLedger([task]), "engine/undisturbed/", new EngineOptions());
        var first = new FixedTaskLedger([task]);
        var boxed = await RunAsync(files, first, "engine/resumed/",
            new EngineOptions { Checkpoints = new CheckpointInterval(50, null), MaxTaskTime = TimeSpan.FromMilliseconds(300) });
        var checkpoint = first.Checkpoints[TaskId];
        Assert.That(await KeysAsync("engine/resumed/"), Is.Not.Empty.And.All.Contain(".inprogress-"), "stopped with segments, no object yet");
        var resumed = await RunAsync(files, new FixedTaskLedger([task], first.Checkpoints), "engine/resumed/", new EngineOptions());

        var stopped = boxed.Tasks.Single();
        var finished = resumed.Tasks.Single();
        Assert.Multiple(() =>
        {
            Assert.That(undisturbed.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Completed));
            Assert.That(stopped.Status, Is.EqualTo(DataTaskStatus.Rerun), stopped.ErrorMessage);
            Assert.That(stopped.CheckpointsSaved, Is.GreaterThan(0), "S3 outputs take mid-task checkpoints");
            Assert.That(checkpoint.Counters.Records, Is.InRange(1, records - 1), "stopped part-way");
            Assert.That(finished.Status, Is.EqualTo(DataTaskStatus.Completed), finished.ErrorMessage);
            Assert.That(finished.RestartedBecause, Is.Null, "continued, not started over");
            Assert.That(finished.Counters.Records, Is.EqualTo(records - checkpoint.Counters.Records), "the second run did only the rest");
        });
        Assert.That(await KeysAsync("engine/resumed/"), Is.EqualTo(new[] { $"engine/resumed/docs/{TaskId}.lines.jsonl", $"engine/resumed/errors/{TaskId}.lines.jsonl.gz" }));
        Assert.That(await GetBytesAsync($"engine/resumed/docs/{TaskId}.lines.jsonl"), Is.EqualTo(await GetBytesAsync($"engine/undisturbed/docs/{TaskId}.lines.jsonl")));
        Assert.That(Gunzip(await GetBytesAsync($"engine/resumed/errors/{TaskId}.lines.jsonl.gz")),
            Is.EqualTo(Gunzip(await GetBytesAsync($"engine/undisturbed/errors/{TaskId}.lines.jsonl.gz"))));
    }

    private async Task<RunSummary> RunAsync(InMemoryFileSource files, ITaskLedger ledger, string prefix, EngineOptions options)
    {
        var documents = new S3DocumentSinkFactory(_client, new S3OutputLocation(_bucket, prefix + "docs/", false, true));
        var errors = new S3ErrorSinkFactory(_client, new S3OutputLocation(_bucket, prefix + "errors/", true, true));
        var engine = new DataTaskEngine("S3Resume", new SingleFileReaderBinding("test", () => new SlowLineParser()), files,
            documents, errors, options);
        return await engine.RunAsync(ledger);
    }

    /// <summary>One document per "&lt;r&gt;" line, an error document for "bad" lines; a millisecond each, so a time box falls mid-task.</summary>
    private sealed class SlowLineParser : ISingleFileParser
    {
        public string S3FileType => "LINES";
        public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;
        public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForPattern("<r>");
        public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

        public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
        {
            Thread.Sleep(1);
            var text = Encoding.UTF8.GetString(record);
            return text.Contains("bad", StringComparison.Ordinal)
                ? new ParseDocumentResult(null, new ErrorDoc(null, null, text, null, "Line"), ParseDocumentResultStatus.Error)
                : new ParseDocumentResult(null, new Document(text, "Line", null, new Dictionary<string, object?> { ["text"] = text }),
                    ParseDocumentResultStatus.Success);
        }
    }

    /// <summary>
    /// JSON lines of pseudo-random base64 (the same on every call): they do not gzip to almost nothing, so the large
    /// case spans several parts compressed too.
    /// </summary>
    private static List<string> Lines(Size size)
    {
        var count = size == Size.SeveralParts ? 20_000 : 2_000;
        var random = new Random(42);
        var bytes = new byte[600];
        var lines = new List<string>(count);
        for (var i = 0; i < count; i++)
        {
            random.NextBytes(bytes);
            lines.Add($"{{\"n\":{i},\"data\":\"{Convert.ToBase64String(bytes)}\"}}");
        }

        return lines;
    }

    private IDocumentSink Open(string prefix, bool gzip, string? resumeFrom, IAmazonS3? client = null)
    {
        var factory = new S3DocumentSinkFactory(client ?? _client, new S3OutputLocation(_bucket, prefix, gzip, true), PartSize);
        var context = new TaskContext("S3Resume", TaskId, new Dictionary<string, string>())
        {
            Resume = resumeFrom is null ? null : new OutputResume(resumeFrom, null),
        };
        return factory.Open(context);
    }

    /// <summary>A new attempt continues from <paramref name="position"/>, writes the lines from <paramref name="from"/> on and completes.</summary>
    private void ResumeAndFinish(string prefix, bool gzip, string position, List<string> lines, int from)
    {
        using var resumed = Open(prefix, gzip, position);
        Write(resumed, lines, from, lines.Count);
        resumed.Complete(succeeded: true);
    }

    /// <summary>Other lines of the same lengths (another attempt's output, e.g. of a changed plugin).</summary>
    private static List<string> OtherLines(List<string> lines) =>
        lines.Select(l => l.Replace("\"n\":", "\"m\":", StringComparison.Ordinal)).ToList();

    /// <summary>The S3 client, but ListParts is refused with 403 AccessDenied (a role without s3:ListMultipartUploadParts).</summary>
    public class DenyingListParts : DispatchProxy
    {
        private IAmazonS3 _inner = null!;

        public static IAmazonS3 Wrap(IAmazonS3 inner)
        {
            var proxy = Create<IAmazonS3, DenyingListParts>();
            ((DenyingListParts)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IAmazonS3.ListPartsAsync))
            {
                return Task.FromException<ListPartsResponse>(
                    new AmazonS3Exception("Access Denied", ErrorType.Sender, "AccessDenied", "request-1", HttpStatusCode.Forbidden));
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw e.InnerException;
            }
        }
    }

    private static void Write(IDocumentSink sink, List<string> lines, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            sink.Write(AnyDocument, Encoding.UTF8.GetBytes(lines[i]));
        }
    }

    /// <summary>As the engine does: the position on the writing thread, then the upload (here right away).</summary>
    private static string Checkpoint(IDocumentSink sink)
    {
        Assert.That(sink.TryCheckpoint(out var position), Is.True);
        sink.MakeDurable();
        return position!;
    }

    private async Task<byte[]> UndisturbedAsync(string prefix, bool gzip, List<string> lines)
    {
        using (var writer = Open(prefix + "undisturbed/", gzip, resumeFrom: null))
        {
            Write(writer, lines, 0, lines.Count);
            writer.Complete(succeeded: true);
        }

        return await GetBytesAsync(prefix + "undisturbed/" + ObjectName(gzip, errored: false));
    }

    private static string ObjectName(bool gzip, bool errored) => TaskId + (errored ? ".errored" : "") + (gzip ? ".jsonl.gz" : ".jsonl");

    private List<int> ListPartNumbers(string key, string uploadId) =>
        (_client.ListPartsAsync(new ListPartsRequest { BucketName = _bucket, Key = key, UploadId = uploadId }).GetAwaiter().GetResult().Parts ?? [])
            .Select(p => p.PartNumber ?? 0).ToList();

    private Task<List<string>> KeysAsync(string prefix) => S3Objects.KeysAsync(_client, _bucket, prefix);

    private Task<byte[]> GetBytesAsync(string key) => S3Objects.GetBytesAsync(_client, _bucket, key);

    private static byte[] Gunzip(byte[] bytes) => S3Objects.Gunzip(bytes);

    private static byte[] GunzipWithTheGzipTool(byte[] bytes)
    {
        var start = new ProcessStartInfo("gzip", ["-dc"]) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        using var plain = new MemoryStream();
        var reading = process.StandardOutput.BaseStream.CopyToAsync(plain);
        process.StandardInput.BaseStream.Write(bytes);
        process.StandardInput.Close();
        reading.GetAwaiter().GetResult();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, "gzip -dc");
        return plain.ToArray();
    }
}

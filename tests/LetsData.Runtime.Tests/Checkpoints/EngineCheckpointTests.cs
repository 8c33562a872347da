using System.Globalization;
using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.State;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Checkpoints;

/// <summary>The engine's checkpoints: time boxes and stop requests end a task at a checkpoint, streams and scans resume exactly.</summary>
public class EngineCheckpointTests
{
    private const int Lines = 400;
    private const string LocalOutputs = "LocalFilesDocumentSinkFactory|LocalFilesErrorSinkFactory";

    /// <summary>
    /// One document per "&lt;r&gt;" line, taking a millisecond per record: on <paramref name="clock"/> when the test drives
    /// the engine's time, else by sleeping (a stop request needs a task that is still running when it comes).
    /// </summary>
    private sealed class SlowLineParser(ManualTimeProvider? clock) : ISingleFileParser
    {
        public string S3FileType => "LINES";
        public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;
        public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForPattern("<r>");
        public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

        public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
        {
            if (clock is null)
            {
                Thread.Sleep(2);
            }
            else
            {
                clock.Advance(TimeSpan.FromMilliseconds(1));
            }

            var text = Encoding.UTF8.GetString(record);
            return new ParseDocumentResult(null, new Document(text, "Line", null, new Dictionary<string, object?> { ["text"] = text }),
                ParseDocumentResultStatus.Success);
        }
    }

    private static (InMemoryFileSource Files, DataTaskDefinition Task) LinesFile()
    {
        var text = string.Concat(Enumerable.Range(0, Lines).Select(i => $"<r>line {i}\n"));
        return (new InMemoryFileSource().Add("lines.txt", Encoding.UTF8.GetBytes(text)),
            new DataTaskDefinition("task-0001", 1, "lines.txt", [new ManifestFileRef(null, "lines.txt")]));
    }

    private static async Task<(RunSummary Summary, List<string> Documents)> RunAsync(InMemoryFileSource files, ITaskLedger ledger,
        EngineOptions options, string outputFolder, CancellationToken cancellationToken = default, ManualTimeProvider? clock = null)
    {
        var documents = new LocalFilesDocumentSinkFactory(Path.Combine(outputFolder, "documents"));
        var errors = new LocalFilesErrorSinkFactory(Path.Combine(outputFolder, "errors"));
        var engine = new DataTaskEngine("Checkpoints", new SingleFileReaderBinding("test", () => new SlowLineParser(clock)), files,
            documents, errors, clock is null ? options : options with { Time = clock });
        var summary = await engine.RunAsync(ledger, cancellationToken);
        var written = Directory.EnumerateFiles(Path.Combine(outputFolder, "documents")).SelectMany(File.ReadAllLines).ToList();
        return (summary, written);
    }

    private static string TempFolder() =>
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "letsdata-checkpoint-tests-" + Guid.NewGuid().ToString("N"))).FullName;

    [Test]
    public async Task ATimeBoxedTask_StopsAtACheckpointAsRerun_AndTheNextRunFinishesIt_EveryLineOnce()
    {
        var (files, task) = LinesFile();
        var output = TempFolder();
        var first = new FixedTaskLedger([task]);

        var (boxed, _) = await RunAsync(files, first, new EngineOptions { MaxTaskTime = TimeSpan.FromMilliseconds(150) }, output,
            clock: new ManualTimeProvider(DateTimeOffset.UnixEpoch));
        var checkpoint = first.Checkpoints["task-0001"];
        var (resumed, documents) = await RunAsync(files, new FixedTaskLedger([task], first.Checkpoints), new EngineOptions(), output,
            clock: new ManualTimeProvider(DateTimeOffset.UnixEpoch));

        Assert.Multiple(() =>
        {
            Assert.That(boxed.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Rerun));
            Assert.That(boxed.Rerun, Is.EqualTo(1));
            Assert.That(checkpoint.Counters.Documents, Is.InRange(150, 150 + 64), "stopped at the first look at the clock (every 64 results) after 150 ms");
            Assert.That(Path.Combine(output, "documents", "task-0001.lines.jsonl.inprogress"), Does.Not.Exist, "completed by the second run");
            Assert.That(resumed.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Completed));
            Assert.That(resumed.Documents, Is.EqualTo(Lines - checkpoint.Counters.Documents), "the second run did only the rest");
            Assert.That(documents.Select(d => JsonDocument.Parse(d).RootElement.GetProperty("text").GetString()),
                Is.EqualTo(Enumerable.Range(0, Lines).Select(i => $"<r>line {i}")), "every line once, in order");
        });
    }

    [Test]
    public async Task ATimeBox_IsHonouredWhenCheckpointsAreDueByRecordsAtEveryResult()
    {
        // Every checkpoint is due by records, so the time box is only ever seen when the record checkpoint looks at it.
        var (files, task) = LinesFile();
        var ledger = new FixedTaskLedger([task]);

        var (boxed, _) = await RunAsync(files, ledger,
            new EngineOptions { Checkpoints = new CheckpointInterval(1, null), MaxTaskTime = TimeSpan.FromMilliseconds(150) }, TempFolder(),
            clock: new ManualTimeProvider(DateTimeOffset.UnixEpoch));

        Assert.That(boxed.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Rerun));
        Assert.That(ledger.Checkpoints["task-0001"].Counters.Documents, Is.EqualTo(150), "stopped when the 150 ms had passed, at the record that took it there");
    }

    [Test]
    public async Task AStopRequest_EndsTheTaskAtACheckpoint_AsRerun_WithItsOutputInProgress()
    {
        var (files, task) = LinesFile();
        var output = TempFolder();
        var ledger = new FixedTaskLedger([task]);
        using var stop = new CancellationTokenSource();
        // Stop requests are looked at every 1,024 results: make the task long enough for that.
        var text = string.Concat(Enumerable.Range(0, 5000).Select(i => $"<r>line {i}\n"));
        files.Add("lines.txt", Encoding.UTF8.GetBytes(text));

        var running = RunAsync(files, ledger, new EngineOptions { Checkpoints = new CheckpointInterval(100, null) }, output, stop.Token);
        // Stopped once the task is under way (it saved a checkpoint), however slowly this machine started it.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (ledger.CheckpointsOf("task-0001").Count == 0 && !running.IsCompleted && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        var (summary, _) = await running;

        Assert.That(summary.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Rerun), summary.Tasks.Single().ErrorMessage);
        Assert.That(Path.Combine(output, "documents", "task-0001.lines.jsonl.inprogress"), Does.Exist);
        var checkpoint = ledger.Checkpoints["task-0001"];
        Assert.That(new FileInfo(Path.Combine(output, "documents", "task-0001.lines.jsonl.inprogress")).Length,
            Is.EqualTo(long.Parse(checkpoint.DocumentsOutput!, CultureInfo.InvariantCulture)), "nothing written after the last checkpoint");
    }

    [Test]
    public async Task AResumedTask_CutsTheOutputBackToTheCheckpoint_SoLinesWrittenAfterItAreNotDuplicated()
    {
        var (files, task) = LinesFile();
        var output = TempFolder();
        var first = new FixedTaskLedger([task]);
        await RunAsync(files, first, new EngineOptions { Checkpoints = new CheckpointInterval(50, null) }, output);
        var completed = Path.Combine(output, "documents", "task-0001.lines.jsonl");
        var whole = await File.ReadAllTextAsync(completed);
        // As after a crash: a checkpoint from the middle, and the output longer than it (written after, never checkpointed).
        var middle = new TaskCheckpoint
        {
            Files = new Dictionary<string, FileCheckpoint> { ["LINES"] = new(Encoding.UTF8.GetByteCount(string.Concat(Enumerable.Range(0, 150).Select(i => $"<r>line {i}\n")))) },
            DocumentsOutput = Encoding.UTF8.GetByteCount(string.Concat(whole.Split('\n').Take(150).Select(l => l + "\n"))).ToString(CultureInfo.InvariantCulture),
            ErrorsOutput = "0",
            Outputs = LocalOutputs,
            Counters = new CheckpointCounters(150, 150, 0, 0),
            Number = 3,
        };
        File.Move(completed, completed + ".inprogress");
        await File.AppendAllTextAsync(completed + ".inprogress", "{\"half a line");

        var (summary, _) = await RunAsync(files, new FixedTaskLedger([task], new Dictionary<string, TaskCheckpoint> { ["task-0001"] = middle }),
            new EngineOptions(), output);

        Assert.That(summary.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(await File.ReadAllTextAsync(completed), Is.EqualTo(whole));
    }

    [Test]
    public async Task ACheckpointStoredWithConnectorClassNames_AsEarlierWorkersWroteIt_IsStillContinued()
    {
        var (files, task) = LinesFile();
        var output = TempFolder();
        await RunAsync(files, new FixedTaskLedger([task]), new EngineOptions { Checkpoints = new CheckpointInterval(50, null) }, output);
        var completed = Path.Combine(output, "documents", "task-0001.lines.jsonl");
        var whole = await File.ReadAllTextAsync(completed);
        var fileOffset = Encoding.UTF8.GetByteCount(string.Concat(Enumerable.Range(0, 150).Select(i => $"<r>line {i}\n")));
        var outputOffset = Encoding.UTF8.GetByteCount(string.Concat(whole.Split('\n').Take(150).Select(l => l + "\n")));
        // The task record's checkpoint exactly as workers before the stable ids stored it: outputs named by CLR class.
        var stored = JsonDocument.Parse($$$"""
            {"files":{"LINES":{"offset":{{{fileOffset}}},"compressed":false}},"documentsOutput":"{{{outputOffset}}}","errorsOutput":"0",
             "outputs":"LocalFilesDocumentSinkFactory|LocalFilesErrorSinkFactory",
             "counters":{"records":150,"documents":150,"errors":0,"skips":0},"number":3}
            """).RootElement;
        var checkpoint = TaskCheckpoint.FromJson(stored, out var problem);
        Assert.That(problem, Is.Null);
        File.Move(completed, completed + ".inprogress");

        var ledger = new FixedTaskLedger([task], new Dictionary<string, TaskCheckpoint> { ["task-0001"] = checkpoint! });
        var (summary, _) = await RunAsync(files, ledger, new EngineOptions { Checkpoints = new CheckpointInterval(100, null) }, output);

        Assert.Multiple(() =>
        {
            Assert.That(summary.Tasks.Single().RestartedBecause, Is.Null, "continued, not started over");
            Assert.That(summary.Documents, Is.EqualTo(Lines - 150), "only the rest was read");
            Assert.That(File.ReadAllText(completed), Is.EqualTo(whole));
            Assert.That(ledger.Checkpoints["task-0001"].Outputs, Is.EqualTo("localfiles|localfiles"), "new checkpoints store the connectors' ids");
        });
    }

    [Test]
    public async Task AResumeWhoseOutputIsGone_StartsTheTaskOver_AndSaysWhy()
    {
        var (files, task) = LinesFile();
        var output = TempFolder();
        var lost = new TaskCheckpoint
        {
            Files = new Dictionary<string, FileCheckpoint> { ["LINES"] = new(120) },
            DocumentsOutput = "500",
            ErrorsOutput = "0",
            Outputs = LocalOutputs,
            Number = 1,
        };

        var ledger = new CallRecordingLedger(new FixedTaskLedger([task], new Dictionary<string, TaskCheckpoint> { ["task-0001"] = lost }));
        var (summary, documents) = await RunAsync(files, ledger, new EngineOptions { Checkpoints = new CheckpointInterval(100, null) }, output);

        Assert.That(summary.Tasks.Single().RestartedBecause, Does.Contain("task-0001.lines.jsonl.inprogress is missing"));
        Assert.That(documents, Has.Count.EqualTo(Lines), "started over: nothing lost");
        Assert.That(ledger.Calls.Distinct(), Is.EqualTo(new[] { "TakeNext", "DropCheckpoint", "SaveCheckpoint", "ConfirmOwnership", "End" }),
            "the checkpoint not used is dropped before this attempt saves or ends anything");
    }

    /// <summary>A ledger that records which of its methods the engine called, in order.</summary>
    private sealed class CallRecordingLedger(ITaskLedger inner) : ITaskLedger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _calls = new();

        public IReadOnlyList<string> Calls => _calls.ToList();

        public int ExpectedTasks => inner.ExpectedTasks;

        public TaskAssignment? TakeNext(CancellationToken cancellationToken) =>
            inner.TakeNext(cancellationToken) is { } next ? Called(nameof(TakeNext), next) : null;

        public void SaveCheckpoint(TaskAssignment assignment, TaskCheckpoint checkpoint) =>
            Called(nameof(SaveCheckpoint), () => inner.SaveCheckpoint(assignment, checkpoint));

        public void DropCheckpoint(TaskAssignment assignment) => Called(nameof(DropCheckpoint), () => inner.DropCheckpoint(assignment));
        public void ConfirmOwnership(TaskAssignment assignment) => Called(nameof(ConfirmOwnership), () => inner.ConfirmOwnership(assignment));
        public void End(TaskAssignment assignment, TaskResult result) => Called(nameof(End), () => inner.End(assignment, result));

        private T Called<T>(string method, T result)
        {
            _calls.Enqueue(method);
            return result;
        }

        private void Called(string method, Action call)
        {
            _calls.Enqueue(method);
            call();
        }
    }

    [Test]
    public async Task ACheckpointOfOtherWriters_IsNotContinued_TheTaskStartsOver()
    {
        var (files, task) = LinesFile();
        var output = TempFolder();
        var fromKinesis = new TaskCheckpoint
        {
            Files = new Dictionary<string, FileCheckpoint> { ["LINES"] = new(120) },
            Outputs = "KinesisDocumentSinkFactory|LocalFilesErrorSinkFactory",
            Number = 4,
        };

        var (summary, documents) = await RunAsync(files, new FixedTaskLedger([task], new Dictionary<string, TaskCheckpoint> { ["task-0001"] = fromKinesis }),
            new EngineOptions(), output);

        Assert.That(summary.Tasks.Single().RestartedBecause, Does.Contain("checkpoint 4 not used").And.Contain("KinesisDocumentSinkFactory"));
        Assert.That(documents, Has.Count.EqualTo(Lines), "the whole file into the new destination");
    }

    private sealed class EchoReader : IKinesisRecordReader, IDynamoDBTableItemReader
    {
        public ParseDocumentResult ParseMessage(string streamArn, string shardId, string partitionKey, string sequenceNumber,
            DateTimeOffset approximateArrivalTimestamp, ReadOnlySpan<byte> data) => Echo(Encoding.UTF8.GetString(data));

        public ParseDocumentResult ParseDynamoDBItem(string tableName, int segmentNumber, IReadOnlyDictionary<string, object?> keys,
            IReadOnlyDictionary<string, object?> item) => Echo((string)item["text"]!);

        private static ParseDocumentResult Echo(string text) => text.StartsWith("bad", StringComparison.Ordinal)
            ? new ParseDocumentResult(null, new ErrorDoc(null, null, text, null, "T"), ParseDocumentResultStatus.Error)
            : new ParseDocumentResult(null, new Document(text, "T", null, new Dictionary<string, object?> { ["text"] = text }), ParseDocumentResultStatus.Success);
    }

    [Test]
    public async Task AKinesisShard_ResumesAfterTheCheckpointsSequenceNumber_Exactly()
    {
        var stream = new InMemoryKinesisStream("orders", batchSize: 7);
        for (var i = 0; i < 200; i++)
        {
            stream.Put("shardId-000000000000", $"pk{i}", i % 17 == 0 ? $"bad {i}" : $"doc {i}");
        }

        var check = await LetsDataTestHarness.CheckKinesisRecordReaderResumeAsync(() => new EchoReader(), stream, "shardId-000000000000",
            everyRecords: 9, maxResumes: 12);

        Assert.That(check.Checkpoints, Is.EqualTo(200 / 9));
        Assert.That(check.Mismatches, Is.Empty);
    }

    [Test]
    public async Task ADynamoDBScanSegment_ResumesAfterTheCheckpointsKey_Exactly()
    {
        var table = new InMemoryDynamoDBTable("items", ["id"], totalSegments: 2, pageSize: 11);
        for (var i = 0; i < 300; i++)
        {
            table.Add(new Dictionary<string, object?> { ["id"] = $"item-{i:D4}", ["text"] = i % 13 == 0 ? $"bad {i}" : $"doc {i}" });
        }

        var check = await LetsDataTestHarness.CheckDynamoDBTableItemReaderResumeAsync(() => new EchoReader(), table, segment: 1,
            everyRecords: 8, maxResumes: 12);

        Assert.That(check.Checkpoints, Is.GreaterThan(10));
        Assert.That(check.Mismatches, Is.Empty);
    }

    [Test]
    public async Task AResumeCheckThatTookNoCheckpoint_ReportsThatNothingWasChecked()
    {
        var stream = new InMemoryKinesisStream("orders", batchSize: 7);
        for (var i = 0; i < 5; i++)
        {
            stream.Put("shardId-000000000000", $"pk{i}", $"doc {i}");
        }

        var check = await LetsDataTestHarness.CheckKinesisRecordReaderResumeAsync(() => new EchoReader(), stream, "shardId-000000000000",
            everyRecords: 50, maxResumes: 12);

        Assert.That(check.Checkpoints, Is.Zero);
        Assert.That(check.UndisturbedStatus, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(check.Mismatches, Has.One.Contains("the undisturbed run took no checkpoint").And.Contains("every 50 records"),
            "a check that resumed nothing must not pass as a resume that matched");
    }
}

using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Writing;

/// <summary>The LocalFiles write and error connectors: one JSON Lines file per task, named by how the task ended.</summary>
public class LocalFilesSinkTests
{
    private const string Type = "LOG";
    private const string Records = "<r>0;<r>1;<r>2;<r>3;<r>4;";
    private string _root = "";

    private string DocumentsDir => Path.Combine(_root, "documents");
    private string ErrorsDir => Path.Combine(_root, "errors");

    [SetUp]
    public void CreateFolder()
    {
        _root = Path.Combine(Path.GetTempPath(), "letsdata-sink-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private async Task<RunSummary> RunAsync(Func<RecordingParser> createParser, params string[] fileNames)
    {
        var files = new InMemoryFileSource();
        foreach (var name in fileNames)
        {
            files.Add(name, TestData.Utf8(Records));
        }

        var engine = new DataTaskEngine("SinkTest", new SingleFileReaderBinding("SinkPlugin", createParser), files,
            new LocalFilesDocumentSinkFactory(DocumentsDir), new LocalFilesErrorSinkFactory(ErrorsDir),
            new EngineOptions { Concurrency = 2 });
        return await engine.RunAsync(EngineRun.OneTaskPerFile(fileNames));
    }

    /// <summary>good.log: record 1 is an Error doc. bad.log: the parser throws at record 2.</summary>
    private static RecordingParser Parser() => new(Type, "<r>", ";")
    {
        Respond = (i, seen) => (i, seen.FileName) switch
        {
            (1, "good.log") => new ParseDocumentResult(null,
                new ErrorDoc(new Dictionary<string, string> { [Type] = "5" }, new Dictionary<string, string> { [Type] = "9" },
                    "record 1 is bad", "doc-1", "record", serialized: "{\"bad\":1}"),
                ParseDocumentResultStatus.Error),
            (2, "bad.log") => throw new FormatException("cannot parse"),
            _ => RecordingParser.Success(seen),
        },
    };

    private static string Serialized(string file, long offset, string text) =>
        RecordingParser.DocumentOf(new SeenRecord(file, offset, Encoding.UTF8.GetBytes(text))).Serialize();

    private static string[] Files(string directory) =>
        Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Test]
    public async Task ACompletedTaskWritesTaskIdAndInputStemJsonlWithOneSerializeResultPerLine()
    {
        var summary = await RunAsync(Parser, "good.log");

        Assert.That(summary.Completed, Is.EqualTo(1));
        Assert.That(Files(DocumentsDir), Is.EqualTo(new[] { "task-0001.good.jsonl" }));
        Assert.That(File.ReadAllLines(Path.Combine(DocumentsDir, "task-0001.good.jsonl")), Is.EqualTo(new[]
        {
            Serialized("good.log", 0, "<r>0"), Serialized("good.log", 10, "<r>2"), Serialized("good.log", 15, "<r>3"),
            Serialized("good.log", 20, "<r>4"),
        }));
    }

    [Test]
    public async Task AnErroredTaskWritesTaskIdAndInputStemErroredJsonlWithTheGoodDocuments()
    {
        var summary = await RunAsync(Parser, "good.log", "bad.log");

        Assert.That(summary.Errored, Is.EqualTo(1));
        Assert.That(Files(DocumentsDir), Is.EqualTo(new[] { "task-0001.good.jsonl", "task-0002.bad.errored.jsonl" }));
        Assert.That(File.ReadAllLines(Path.Combine(DocumentsDir, "task-0002.bad.errored.jsonl")),
            Is.EqualTo(new[] { Serialized("bad.log", 0, "<r>0"), Serialized("bad.log", 5, "<r>1") }));
        Assert.That(Files(ErrorsDir), Is.EqualTo(new[] { "task-0001.good.jsonl", "task-0002.bad.errored.jsonl" }));
    }

    [Test]
    public async Task ErrorRecordsAreJsonObjectsWithTheTaskAndOffsets()
    {
        await RunAsync(Parser, "good.log", "bad.log");

        using var errorDoc = JsonDocument.Parse(File.ReadAllLines(Path.Combine(ErrorsDir, "task-0001.good.jsonl")).Single());
        var e = errorDoc.RootElement;
        Assert.That(e.ValueKind, Is.EqualTo(JsonValueKind.Object));
        Assert.That(e.GetProperty("dataset").GetString(), Is.EqualTo("SinkTest"));
        Assert.That(e.GetProperty("taskId").GetString(), Is.EqualTo("task-0001"));
        Assert.That(e.GetProperty("fileNames").GetProperty("file").GetString(), Is.EqualTo("good.log"));
        Assert.That(e.GetProperty("errorStartOffsetMap").GetProperty(Type).GetString(), Is.EqualTo("5"));
        Assert.That(e.GetProperty("errorEndOffsetMap").GetProperty(Type).GetString(), Is.EqualTo("9"));
        Assert.That(e.GetProperty("errorMessage").GetString(), Is.EqualTo("record 1 is bad"));
        Assert.That(e.GetProperty("documentId").GetString(), Is.EqualTo("doc-1"));
        Assert.That(e.GetProperty("serializedErrorDoc").GetString(), Is.EqualTo("{\"bad\":1}"));

        using var taskError = JsonDocument.Parse(File.ReadAllLines(Path.Combine(ErrorsDir, "task-0002.bad.errored.jsonl")).Single());
        var t = taskError.RootElement;
        Assert.That(t.GetProperty("kind").GetString(), Is.EqualTo("TaskError"));
        Assert.That(t.GetProperty("dataset").GetString(), Is.EqualTo("SinkTest"));
        Assert.That(t.GetProperty("taskId").GetString(), Is.EqualTo("task-0002"));
        Assert.That(t.GetProperty("fileNames").GetProperty("file").GetString(), Is.EqualTo("bad.log"));
        Assert.That(t.GetProperty("errorStartOffsetMap").GetProperty(Type).GetString(), Is.EqualTo("10"));
        Assert.That(t.GetProperty("errorEndOffsetMap").GetProperty(Type).GetString(), Is.EqualTo("10"));
        Assert.That(t.GetProperty("errorMessage").GetString(), Does.Contain("cannot parse").And.Contain("bad.log"));
    }

    [Test]
    public async Task NoInProgressFileIsLeftBehind()
    {
        await RunAsync(Parser, "good.log", "bad.log");

        Assert.That(Directory.GetFiles(_root, "*", SearchOption.AllDirectories), Has.None.EndsWith(".inprogress"));
        Assert.That(Directory.GetFiles(_root, "*", SearchOption.AllDirectories), Has.Length.EqualTo(4));
    }

    [Test]
    public async Task ARerunReplacesWhatAnEarlierRunLeft()
    {
        await RunAsync(() => new RecordingParser(Type, "<r>", ";") { Respond = (i, _) => throw new FormatException("first run") },
            "good.log");
        Assert.That(Files(ErrorsDir), Is.EqualTo(new[] { "task-0001.good.errored.jsonl" }));

        await RunAsync(() => new RecordingParser(Type, "<r>", ";"), "good.log");

        Assert.That(Files(DocumentsDir), Is.EqualTo(new[] { "task-0001.good.jsonl" }));
        Assert.That(File.ReadAllLines(Path.Combine(DocumentsDir, "task-0001.good.jsonl")), Has.Length.EqualTo(5));
        Assert.That(Files(ErrorsDir), Is.Empty, "the errors of the failed run are gone with it");
    }

    [Test]
    public void LinesLargerThanTheWriteBufferAndManyBuffersFullAreWrittenExactly()
    {
        var random = new Random(5);
        var lines = Enumerable.Range(0, 20_000)
            .Select(i => i % 5000 == 17
                ? new string('ü', 700_000)
                : $"{{\"n\":{i},\"text\":\"{new string((char)random.Next('a', 'z' + 1), random.Next(0, 120))}€\"}}")
            .ToList();
        var file = new JsonLinesFile(DocumentsDir, "task-0009");
        foreach (var line in lines)
        {
            file.WriteLine(Encoding.UTF8.GetBytes(line));
        }

        file.Complete(succeeded: true);
        file.Dispose();

        Assert.That(File.ReadAllText(Path.Combine(DocumentsDir, "task-0009.jsonl")), Is.EqualTo(string.Join("\n", lines) + "\n"));
        Assert.That(Files(DocumentsDir), Is.EqualTo(new[] { "task-0009.jsonl" }));
    }
}

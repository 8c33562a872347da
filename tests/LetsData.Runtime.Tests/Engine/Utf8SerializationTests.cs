using System.Buffers;
using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>
/// Documents that write their own UTF-8 (IUtf8SerializableDocument): the engine takes their bytes instead of the
/// Serialize() string, treats "nothing written" and a throwing call as it treats Serialize(), and the harness catches a
/// document whose two forms disagree.
/// </summary>
public class Utf8SerializationTests
{
    private const string Type = "LOG";
    private const string ThreeRecords = "<r>a;<r>b€;<r>c;";

    private string _directory = null!;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("letsdata-utf8-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task TheEngineWritesTheDocumentsOwnUtf8AndNeverBuildsItsString()
    {
        var documents = new List<Utf8Document>();
        var summary = await RunToLocalFilesAsync(seen =>
        {
            var document = new Utf8Document(seen.Text);
            documents.Add(document);
            return new ParseDocumentResult(null, document, ParseDocumentResultStatus.Success);
        });

        Assert.That(summary.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(File.ReadAllText(Path.Combine(_directory, "documents", "task-0001.f.jsonl")),
            Is.EqualTo("{\"r\":\"<r>a\"}\n{\"r\":\"<r>b€\"}\n{\"r\":\"<r>c\"}\n"));
        Assert.That(documents.Select(d => d.SerializeCalls), Is.All.Zero, "the string form is not built");
        Assert.That(documents.Select(d => d.Utf8Calls), Is.All.EqualTo(1));
    }

    [Test]
    public async Task NothingWrittenIsAnErrorRecordAndAThrowingCallFailsTheTaskAsSerializeDoes()
    {
        var summary = await RunToLocalFilesAsync(seen => new ParseDocumentResult(null, seen.Text switch
        {
            "<r>a" => new Utf8Document(seen.Text) { WritesNothing = true },
            "<r>b€" => new Utf8Document(seen.Text) { Throws = true },
            _ => new Utf8Document(seen.Text),
        }, ParseDocumentResultStatus.Success));

        var task = summary.Tasks.Single();
        var errors = File.ReadAllText(Path.Combine(_directory, "errors", "task-0001.f.errored.jsonl"));
        Assert.That(errors, Does.Contain("TrySerializeUtf8 returned false for document \\u003Cr\\u003Ea; nothing to write"),
            "a document with nothing to write is an error record");
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored), "a throwing plugin call fails its task, as Serialize() does");
        Assert.That(task.ErrorMessage, Does.Contain("IUtf8SerializableDocument.TrySerializeUtf8").And.Contain("cannot write <r>b€"));
        Assert.That(WrittenDocuments(), Is.Empty, "the partial bytes of the throwing call are not written");
    }

    [Test]
    public async Task TheHarnessFailsADocumentWhoseUtf8DisagreesWithItsString()
    {
        var parser = new RecordingParser(Type, "<r>", ";")
        {
            Respond = (i, seen) => new ParseDocumentResult(null, new Utf8Document(seen.Text) { Utf8Differs = i == 1 },
                ParseDocumentResultStatus.Success),
        };

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser, HarnessFile.FromText(Type, "f.log", ThreeRecords));

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("TrySerializeUtf8").And.Contain("differ from the UTF-8 encoding of Serialize()")
            .And.Contain("<r>b€"));
        Assert.That(result.SerializedDocuments, Is.EqualTo(new[] { "{\"r\":\"<r>a\"}" }));
    }

    [Test]
    public async Task TheHarnessFailsADocumentThatWritesBytesWhereItsStringIsNull()
    {
        var parser = new RecordingParser(Type, "<r>", ";")
        {
            Respond = (i, seen) => new ParseDocumentResult(null, new Utf8Document(seen.Text) { StringIsNull = i == 1 },
                ParseDocumentResultStatus.Success),
        };

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser, HarnessFile.FromText(Type, "f.log", ThreeRecords));

        Assert.That(result.Tasks.Single().ErrorMessage, Does.Contain("but Serialize() returned null"));
        Assert.That(result.SerializedDocuments, Is.EqualTo(new[] { "{\"r\":\"<r>a\"}" }));
    }

    private string WrittenDocuments()
    {
        var documents = Path.Combine(_directory, "documents");
        return Directory.Exists(documents) ? string.Concat(Directory.GetFiles(documents).Select(File.ReadAllText)) : "";
    }

    private async Task<RunSummary> RunToLocalFilesAsync(Func<SeenRecord, ParseDocumentResult> respond)
    {
        var files = new InMemoryFileSource();
        files.Add("f.log", TestData.Utf8(ThreeRecords));
        var binding = new SingleFileReaderBinding("Utf8Plugin", () => new RecordingParser(Type, "<r>", ";") { Respond = (_, seen) => respond(seen) });
        var engine = new DataTaskEngine("Utf8Test", binding, files,
            new LocalFilesDocumentSinkFactory(Path.Combine(_directory, "documents")),
            new LocalFilesErrorSinkFactory(Path.Combine(_directory, "errors")));
        return await engine.RunAsync(EngineRun.OneTaskPerFile("f.log"));
    }

    /// <summary>Serializes to <c>{"r":"text"}</c> both ways, counting which way it was asked.</summary>
    private sealed class Utf8Document(string text) : IUtf8SerializableDocument
    {
        public int SerializeCalls { get; private set; }
        public int Utf8Calls { get; private set; }
        public bool WritesNothing { get; init; }
        public bool Throws { get; init; }
        public bool Utf8Differs { get; init; }
        public bool StringIsNull { get; init; }

        public string? DocumentId => text;
        public string? RecordType => "utf8";
        public string? PartitionKey => null;
        public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;

        public string? Serialize()
        {
            SerializeCalls++;
            return WritesNothing || StringIsNull ? null : $"{{\"r\":\"{text}\"}}";
        }

        public bool TrySerializeUtf8(IBufferWriter<byte> output)
        {
            Utf8Calls++;
            if (WritesNothing)
            {
                return false;
            }

            output.Write("{\"r\":\""u8);
            if (Throws)
            {
                throw new InvalidOperationException($"cannot write {text}");
            }

            output.Write(Encoding.UTF8.GetBytes(Utf8Differs ? text.ToUpperInvariant() : text));
            output.Write("\"}"u8);
            return true;
        }
    }
}

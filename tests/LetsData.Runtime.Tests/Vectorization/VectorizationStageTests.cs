using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine.Vectorization;
using LetsData.Runtime.Testing;

namespace LetsData.Runtime.Tests.Vectorization;

/// <summary>
/// The vectorization stage through the worker's engine (the test harness), with an in-memory endpoint: batching across
/// documents, failed batches, the plugin's hooks, and checkpoints that never count a document still waiting for vectors.
/// </summary>
public class VectorizationStageTests
{
    private static HarnessFile Lines(params string[] texts) =>
        HarnessFile.FromText("DOC", "docs.txt", string.Concat(texts.Select(t => $"DOC {t}\n")));

    // A text's vector: its length and its first character, enough to tell texts apart and check the pairing.
    private static double[] Embed(string text) => [text.Length, text.Length == 0 ? 0 : text[0]];

    [Test]
    public async Task EachDocumentIsWrittenAsItsVectorDocumentInReaderOrder_TextsOfManyDocumentsBatchedByCount()
    {
        var endpoint = new FunctionVectorEndpoint(Embed);
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new LineParser(),
            new HarnessVectorization(() => new TwoTextVectorizer(), endpoint, BatchSize: 4),
            Lines("alpha", "bravo", "charlie", "delta", "echo"));

        Assert.That(result.Tasks.Single().Succeeded, Is.True, result.Tasks.Single().ErrorMessage);
        Assert.That(result.SerializedDocuments, Is.EqualTo(new[]
        {
            "alpha|5,97|10,97", "bravo|5,98|10,98", "charlie|7,99|14,99", "delta|5,100|10,100", "echo|4,101|8,101",
        }));
        // Two texts a document: the batch is full after two documents; the last document goes alone at the end.
        Assert.That(endpoint.Requests.Select(r => r.Count), Is.EqualTo(new[] { 4, 4, 2 }));
        Assert.That(endpoint.Requests[0], Is.EqualTo(new[] { "alpha", "alphaalpha", "bravo", "bravobravo" }));
    }

    [Test]
    public async Task ARequestIsBoundedByBytesToo()
    {
        var endpoint = new FunctionVectorEndpoint(Embed);
        var big = new string('x', 1500);
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new LineParser(),
            new HarnessVectorization(() => new OneTextVectorizer(), endpoint, BatchSize: 100, BatchMaxBytes: 2048),
            Lines(big, big, "small", big));

        Assert.That(result.SerializedDocuments, Has.Count.EqualTo(4));
        Assert.That(endpoint.Requests.Select(r => r.Sum(t => Encoding.UTF8.GetByteCount(t))), Has.All.LessThanOrEqualTo(2048));
        Assert.That(endpoint.Requests.SelectMany(r => r), Is.EqualTo(new[] { big, big, "small", big }));
    }

    [Test]
    public async Task AFailedBatchBecomesAnErrorRecordPerDocument_TheOthersAreWrittenAndTheTaskCompletes()
    {
        var endpoint = new FunctionVectorEndpoint("embed-test", texts => texts.Contains("poison")
            ? throw new InvalidOperationException("ModelError after 8 attempts")
            : texts.Select(Embed).ToList());
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new LineParser(),
            new HarnessVectorization(() => new OneTextVectorizer(), endpoint, BatchSize: 2),
            Lines("one", "two", "poison", "three", "four"));

        Assert.That(result.Tasks.Single().Succeeded, Is.True, result.Tasks.Single().ErrorMessage);
        Assert.That(result.SerializedDocuments, Is.EqualTo(new[] { "one|3,111", "two|3,116", "four|4,102" }));
        Assert.That(result.ErrorRecords.Select(e => e.DocumentId), Is.EqualTo(new[] { "poison", "three" }));
        Assert.That(result.ErrorRecords[0].ErrorMessage,
            Is.EqualTo("vectorizing document poison: the endpoint embed-test failed: ModelError after 8 attempts"));
        Assert.That(result.ErrorRecords[0].ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["DOC"] = "16" }));
    }

    [Test]
    public async Task AnEndpointThatAnswersTheWrongNumberOfVectorsFailsItsDocuments()
    {
        var endpoint = new FunctionVectorEndpoint("short", texts => texts.Skip(1).Select(Embed).ToList());
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new LineParser(),
            new HarnessVectorization(() => new OneTextVectorizer(), endpoint), Lines("a", "b"));

        Assert.That(result.SerializedDocuments, Is.Empty);
        Assert.That(result.ErrorRecords.Select(e => e.ErrorMessage), Is.EqualTo(new[]
        {
            "vectorizing document a: the endpoint short returned 1 vector(s) for 2 text(s)",
            "vectorizing document b: the endpoint short returned 1 vector(s) for 2 text(s)",
        }));
    }

    [Test]
    public async Task AnErrorDocFromConstructVectorDocIsAnErrorRecord_AnExceptionInAHookFailsTheTaskNamingTheHook()
    {
        var endpoint = new FunctionVectorEndpoint(Embed);
        var errorDocs = await LetsDataTestHarness.RunSingleFileParserAsync(() => new LineParser(),
            new HarnessVectorization(() => new OneTextVectorizer { ErrorFor = "b" }, endpoint), Lines("a", "b", "c"));
        var throws = await LetsDataTestHarness.RunSingleFileParserAsync(() => new LineParser(),
            new HarnessVectorization(() => new OneTextVectorizer { ThrowFor = "b" }, endpoint), Lines("a", "b", "c"));

        Assert.That(errorDocs.SerializedDocuments, Is.EqualTo(new[] { "a|1,97", "c|1,99" }));
        Assert.That(errorDocs.ErrorRecords.Single().ErrorMessage, Is.EqualTo("no vector doc for b"));
        Assert.That(throws.Tasks.Single().Succeeded, Is.False);
        Assert.That(throws.Tasks.Single().ErrorMessage, Does.Contain("threw in ISagemakerVectorsInterface.ConstructVectorDoc"));
    }

    [Test]
    public async Task AVectorizerWhoseConstructorThrowsFailsItsTaskNamingTheConstructor()
    {
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new LineParser(),
            new HarnessVectorization(() => throw new InvalidOperationException("no model config"), new FunctionVectorEndpoint(Embed)),
            Lines("a"));

        Assert.That(result.Tasks.Single().Succeeded, Is.False);
        Assert.That(result.Tasks.Single().ErrorMessage, Does.Contain("threw in ISagemakerVectorsInterface constructor").And.Contain("no model config"));
    }

    [Test]
    public async Task ResumingFromAnyCheckpointWritesExactlyWhatTheUndisturbedRunWrote_NoDocumentWaitingForVectorsIsCounted()
    {
        var texts = Enumerable.Range(1, 40).Select(i => $"text{i}").ToArray();

        // A batch of 16 documents, a checkpoint every 3 records: every checkpoint falls while documents are waiting.
        var check = await LetsDataTestHarness.CheckSingleFileParserResumeAsync(() => new LineParser(),
            new HarnessVectorization(() => new OneTextVectorizer(), new FunctionVectorEndpoint(Embed), BatchSize: 16),
            everyRecords: 3, maxResumes: 8, Lines(texts));

        Assert.That(check.Checkpoints, Is.GreaterThanOrEqualTo(10));
        Assert.That(check.Mismatches, Is.Empty);
    }

    /// <summary>One document per <c>DOC text</c> line: id and text = the text.</summary>
    private sealed class LineParser : ISingleFileParser
    {
        private static readonly RecordParseHint Start = RecordParseHint.ForPattern("DOC ");

        public string S3FileType => "DOC";

        public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

        public RecordParseHint GetRecordStartPattern(string s3FileType) => Start;

        public RecordParseHint GetRecordEndPattern(string s3FileType) => Start;

        public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
        {
            var text = Encoding.UTF8.GetString(record)["DOC ".Length..].Trim();
            return ParseDocumentResult.Success(new Document(text, "Line", text, new Dictionary<string, object?> { ["text"] = text }));
        }
    }

    /// <summary>Vectorizes a line's text; the vector document serializes as <c>id|vector</c>.</summary>
    private sealed class OneTextVectorizer : ISagemakerVectorsInterface
    {
        public string? ErrorFor { get; init; }

        public string? ThrowFor { get; init; }

        public IReadOnlyDictionary<string, string> ExtractDocumentElementsForVectorization(IDocument document) =>
            new Dictionary<string, string> { ["text"] = document.DocumentId! };

        public IDocument ConstructVectorDoc(IDocument document, IReadOnlyDictionary<string, double[]> vectors)
        {
            if (document.DocumentId == ThrowFor)
            {
                throw new InvalidOperationException("construct failed");
            }

            return document.DocumentId == ErrorFor
                ? new ErrorDoc(null, null, $"no vector doc for {document.DocumentId}", document.DocumentId)
                : new TextDoc(document.DocumentId, $"{document.DocumentId}|{string.Join(',', vectors["text"])}");
        }
    }

    /// <summary>Two texts a document: the text and the text twice.</summary>
    private sealed class TwoTextVectorizer : ISagemakerVectorsInterface
    {
        public IReadOnlyDictionary<string, string> ExtractDocumentElementsForVectorization(IDocument document) =>
            new Dictionary<string, string> { ["once"] = document.DocumentId!, ["twice"] = document.DocumentId + document.DocumentId };

        public IDocument ConstructVectorDoc(IDocument document, IReadOnlyDictionary<string, double[]> vectors) =>
            new TextDoc(document.DocumentId, $"{document.DocumentId}|{string.Join(',', vectors["once"])}|{string.Join(',', vectors["twice"])}");
    }

    /// <summary>A vector document whose serialized form is given.</summary>
    private sealed class TextDoc(string? id, string serialized) : IDocument
    {
        public string? DocumentId => id;

        public string? RecordType => "VECTOR";

        public string? PartitionKey => id;

        public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;

        public string? Serialize() => serialized;
    }
}

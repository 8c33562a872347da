using System.Text;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Harness;

/// <summary>The record extraction rule end to end: through the test harness (the worker's engine) to the documents.</summary>
public class RecordExtractionTests
{
    private const string Type = "LOG";

    private static async Task<(HarnessResult Result, RecordingParser Parser)> RunAsync(string start, string end, string text)
    {
        var parser = new RecordingParser(Type, start, end);
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser, HarnessFile.FromText(Type, "input.log", text));
        return (result, parser);
    }

    private static void AssertCompleted(HarnessResult result)
    {
        Assert.That(result.Tasks, Has.Count.EqualTo(1));
        Assert.That(result.Tasks[0].ErrorMessage, Is.Null);
        Assert.That(result.Tasks[0].Succeeded, Is.True);
    }

    private static IEnumerable<(long, string)> OffsetsAndTexts(HarnessResult result) =>
        result.Documents.Select(d => (RecordingParser.OffsetOf(d), RecordingParser.TextOf(d)));

    [Test]
    public async Task AnErrorResultWithoutAnErrorDoc_IsAnErrorRecordThatSaysWhatWasReturned()
    {
        var parser = new RecordingParser(Type, "<r>", "<r>")
        {
            Respond = (i, seen) => i switch
            {
                0 => new ParseDocumentResult(null, new Interfaces.Documents.Document("d", "Log", null, new Dictionary<string, object?>()), ParseDocumentResultStatus.Error),
                1 => new ParseDocumentResult(null, null, ParseDocumentResultStatus.Error),
                _ => RecordingParser.Success(seen),
            },
        };

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser, HarnessFile.FromText(Type, "input.log", "<r>a<r>b<r>c"));

        AssertCompleted(result);
        Assert.That(result.ErrorDocs, Is.Empty, "the plugin returned no IErrorDoc");
        Assert.That(result.ErrorRecords.Select(r => r.ErrorMessage), Is.EqualTo(new[]
        {
            "ISingleFileParser.ParseDocument returned Error with a Document, not an IErrorDoc (return an ErrorDoc with a message)",
            "ISingleFileParser.ParseDocument returned Error without a document",
        }));
        Assert.That(result.Documents, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task IdenticalStartAndEndPatternsRunFromOnePatternToTheNext()
    {
        var (result, _) = await RunAsync("WARC/1.0\r\n", "WARC/1.0\r\n", "WARC/1.0\r\nA\r\n\r\nWARC/1.0\r\nBB\r\n\r\nWARC/1.0\r\nCCC");

        AssertCompleted(result);
        Assert.That(OffsetsAndTexts(result), Is.EqualTo(new[]
        {
            (0L, "WARC/1.0\r\nA\r\n\r\n"), (15L, "WARC/1.0\r\nBB\r\n\r\n"), (31L, "WARC/1.0\r\nCCC"),
        }));
    }

    [Test]
    public async Task TheEndPatternThatStartsTheNextRecordIsNotConsumed()
    {
        // WARC style: a request ends where the response starts; consuming the end pattern would skip the response.
        const string request = "WARC/1.0\r\nWARC-Type: request\r\n";
        const string response = "WARC/1.0\r\nWARC-Type: response\r\n";
        var parser = new RecordingParser(Type, "WARC/1.0\r\n", "WARC/1.0\r\nWARC-Type: ");
        var text = request + "GET /\r\n\r\n" + response + "200 OK\r\n\r\n" + request + "GET /2\r\n\r\n" + response + "404\r\n";

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser, HarnessFile.FromText(Type, "w.warc", text));

        AssertCompleted(result);
        Assert.That(result.Documents.Select(RecordingParser.TextOf), Is.EqualTo(new[]
        {
            request + "GET /\r\n\r\n", response + "200 OK\r\n\r\n", request + "GET /2\r\n\r\n", response + "404\r\n",
        }));
    }

    [Test]
    public async Task EndOfFileEndsTheLastRecord()
    {
        var (result, _) = await RunAsync("<r>", "</r>", "<r>one</r><r>two, no end");

        AssertCompleted(result);
        Assert.That(OffsetsAndTexts(result), Is.EqualTo(new[] { (0L, "<r>one"), (10L, "<r>two, no end") }));
    }

    [Test]
    public async Task AnEmptyFileHasNoDocumentsAndCompletes()
    {
        var (result, parser) = await RunAsync("<r>", "</r>", "");

        AssertCompleted(result);
        Assert.That(result.Documents, Is.Empty);
        Assert.That(result.ErrorRecords, Is.Empty);
        Assert.That(parser.Seen, Is.Empty);
    }

    [Test]
    public async Task AFileWithoutTheStartPatternHasNoDocumentsAndCompletes()
    {
        var (result, parser) = await RunAsync("<r>", "</r>", "plain text with </r> and <R> but no start pattern\n");

        AssertCompleted(result);
        Assert.That(result.Documents, Is.Empty);
        Assert.That(parser.Seen, Is.Empty);
    }

    [Test]
    public async Task GarbageBeforeTheFirstRecordAndBetweenRecordsIsIgnored()
    {
        var (result, _) = await RunAsync("<r>", "</r>", "preamble\n<r>one</r>\nnoise\n<r>two</r>trailer");

        AssertCompleted(result);
        Assert.That(OffsetsAndTexts(result), Is.EqualTo(new[] { (9L, "<r>one"), (26L, "<r>two") }));
    }

    [Test]
    public async Task NonAsciiPatterns()
    {
        var text = "Präambel «Σ»eins‹/›«Σ»zwei‹/›";
        var (result, _) = await RunAsync("«Σ»", "‹/›", text);
        var data = Encoding.UTF8.GetBytes(text);

        AssertCompleted(result);
        Assert.That(result.Documents.Select(RecordingParser.TextOf), Is.EqualTo(new[] { "«Σ»eins", "«Σ»zwei" }));
        Assert.That(result.Documents.Select(RecordingParser.OffsetOf),
            Is.EqualTo(TestData.IndexesOf(data, Encoding.UTF8.GetBytes("«Σ»")).Select(i => (long)i)));
    }

    [Test]
    public async Task RecordsLargerThanTheReadBuffersArriveWhole()
    {
        // Larger than the scanner's default buffer (1 MiB) and than a read-ahead chunk, and unlike each other.
        var random = new Random(7);
        var first = "<r>" + new string(Enumerable.Range(0, 3_000_000).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
        var second = "<r>" + new string(Enumerable.Range(0, 1_500_000).Select(_ => (char)random.Next('A', 'Z' + 1)).ToArray());
        var (result, _) = await RunAsync("<r>", "</r>", "x" + first + "</r>" + second);

        AssertCompleted(result);
        Assert.That(result.Documents, Has.Count.EqualTo(2));
        Assert.That(RecordingParser.TextOf(result.Documents[0]), Is.EqualTo(first));
        Assert.That(RecordingParser.TextOf(result.Documents[1]), Is.EqualTo(second));
        Assert.That(result.Documents.Select(RecordingParser.OffsetOf), Is.EqualTo(new[] { 1L, 1L + first.Length + 4 }));
    }

    [Test]
    public async Task OffsetsAreTheTrueByteOffsetsOfTheRecords()
    {
        var text = new StringBuilder("junk ü\n");
        var random = new Random(3);
        for (var i = 0; i < 500; i++)
        {
            text.Append("<r>").Append(i).Append(' ').Append('é', random.Next(0, 50)).Append("</r>").Append('\n', random.Next(0, 3));
        }

        var data = Encoding.UTF8.GetBytes(text.ToString());
        var (result, parser) = await RunAsync("<r>", "</r>", text.ToString());

        AssertCompleted(result);
        var starts = TestData.IndexesOf(data, "<r>"u8);
        Assert.That(parser.Seen.Select(s => s.Offset), Is.EqualTo(starts.Select(i => (long)i)));
        Assert.That(parser.Seen.Select(s => s.Bytes), Is.EqualTo(starts.Select(s =>
            data.AsSpan(s, data.AsSpan(s).IndexOf("</r>"u8)).ToArray())));
    }

    [Test]
    public async Task AFixedSizeRecordFileWithAShortLastRecord()
    {
        var parser = new RecordingParser(Type, RecordParseHint.ForOffset(0), RecordParseHint.ForOffset(5));
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser,
            HarnessFile.FromText(Type, "fixed.dat", "AAAAABBBBBCCCCCDD"));

        AssertCompleted(result);
        Assert.That(OffsetsAndTexts(result), Is.EqualTo(new[] { (0L, "AAAAA"), (5L, "BBBBB"), (10L, "CCCCC"), (15L, "DD") }));
    }

    [Test]
    public async Task HintsThatGiveAnEmptyRecordFailTheTaskInsteadOfHanging()
    {
        var parser = new RecordingParser(Type, RecordParseHint.ForOffset(0), RecordParseHint.ForOffset(0));
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser, HarnessFile.FromText(Type, "f.dat", "data"));

        Assert.That(result.Tasks[0].Succeeded, Is.False);
        Assert.That(result.Tasks[0].ErrorMessage, Does.Contain("f.dat").And.Contain("empty record"));
        Assert.That(parser.Seen, Is.Empty);
    }

    [Test]
    public async Task ARecordOverTheCeilingFailsTheTaskAfterTheRecordsBeforeIt()
    {
        var text = "<r>one</r><r>two</r>" + "<r>" + new string('x', 200) + "</r><r>after</r>";
        var parser = new RecordingParser(Type, "<r>", "</r>");
        var run = await EngineRun.RunAsync(new SingleFileReaderBinding("test", () => parser),
            new InMemoryFileSource().Add("big.log", Encoding.UTF8.GetBytes(text)), EngineRun.OneTaskPerFile("big.log"),
            new EngineOptions { MaxRecordBytes = 100 });

        var task = run.Task("task-0001");
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain("big.log").And.Contain("offset 20").And.Contain("maxRecordBytes"));
        Assert.That(run.Documents.Select(RecordingParser.TextOf), Is.EqualTo(new[] { "<r>one", "<r>two" }));
        Assert.That(parser.Seen, Has.Count.EqualTo(2));
        var taskError = run.Errors.Single(e => e.Kind == ErrorRecordKind.TaskError);
        Assert.That(taskError.ErrorMessage, Is.EqualTo(task.ErrorMessage));
    }
}

using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.Tests.Support;
using LetsData.Plugins.Samples.TargetUris;

namespace LetsData.Plugins.Samples.Tests.TargetUris;

/// <summary>The extractor over whole files, run by the hand-written record cutter and by the worker's engine (the harness).</summary>
[TestFixtureSource(typeof(Engines), nameof(Engines.All))]
public class TargetUriExtractorTests(string engineName)
{
    private readonly IParserEngine _engine = Engines.Create(engineName);

    [Test]
    public async Task WhirlwindWarcYieldsExactlyTheRequestRecordsTargetUris()
    {
        var file = TestData.ReadDecompressed(TestData.WhirlwindWarc);
        var expected = RequestTargetUris(file);
        Assert.That(expected, Is.EqualTo(new[] { "https://an.wikipedia.org/wiki/Escopete" }), "the oracle read the file as expected");

        var run = await RunAsync(File.ReadAllBytes(TestData.WhirlwindWarc), "whirlwind.warc.gz");

        Assert.That(run.Documents.Select(d => d.DocumentId), Is.EqualTo(expected));
        Assert.That(run.ErrorDocs, Is.Empty);
        AssertTargetUriDocuments(run);
    }

    [TestCase("warcio-example.warc.gz", 2, Description = "the second request follows a revisit, not a response")]
    [TestCase("warcio-post-test.warc.gz", 3, Description = "POST requests with bodies")]
    [TestCase("warcio-example-wget-bad-target-uri.warc.gz", 1, Description = "wget's <angle-bracketed> target URI")]
    [TestCase("resiliparse-warcfile.warc.gz", 17)]
    public async Task TortureFilesYieldEveryRequestsTargetUri(string fileName, int requestCount)
    {
        var path = TestData.Torture(fileName);
        var expected = RequestTargetUris(TestData.ReadDecompressed(path));
        Assert.That(expected, Has.Count.EqualTo(requestCount), "the oracle read the file as expected");

        var run = await RunAsync(File.ReadAllBytes(path), fileName);

        Assert.That(run.Documents.Select(d => d.DocumentId), Is.EqualTo(expected));
        Assert.That(run.ErrorDocs, Is.Empty);
        AssertTargetUriDocuments(run);
    }

    [Test]
    public async Task WgetAngleBracketsAreNotPartOfTheUri()
    {
        var run = await RunAsync(File.ReadAllBytes(TestData.Torture("warcio-example-wget-bad-target-uri.warc.gz")), "wget.warc.gz");

        Assert.That(run.Documents.Single().DocumentId, Is.EqualTo("http://example.com/"));
    }

    [Test]
    public async Task RequestWithoutTargetUriIsAnErrorDocSpanningTheRecordAndTheNextRequestIsStillParsed()
    {
        var file = new WarcFileBuilder()
            .Record("warcinfo", "software: hand\r\n")
            .Record("request", "GET /a HTTP/1.1\r\nHost: a\r\n\r\n", "WARC-Date: 2024-05-18T01:58:10Z")
            .Record("response", "HTTP/1.1 200 OK\r\n\r\nA", "WARC-Target-URI: http://a.example/")
            .Record("request", "GET /b HTTP/1.1\r\nHost: b\r\n\r\n", "WARC-Target-URI: http://b.example/")
            .Record("response", "HTTP/1.1 200 OK\r\n\r\nB", "WARC-Target-URI: http://b.example/")
            .ToArray();
        var expectedStart = Bytes.IndexOf(file, "WARC-Type: request");
        var expectedEnd = Bytes.IndexOf(file, "WARC-Type: response", expectedStart);

        var run = await RunAsync(file);

        Assert.That(run.Documents.Select(d => d.DocumentId), Is.EqualTo(new[] { "http://b.example/" }));
        var error = run.ErrorDocs.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["WARC"] = Bytes.Offset(expectedStart) }));
            Assert.That(error.ErrorEndOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["WARC"] = Bytes.Offset(expectedEnd) }));
            Assert.That(error.ErrorMessage, Does.Contain("WARC-Target-URI"));
            Assert.That(error.RecordType, Is.EqualTo(TargetUriExtractor.RecordTypeName));
            Assert.That(((ErrorDoc)error).DocumentType, Is.EqualTo(DocumentType.ErrorDoc));
        });
    }

    [Test]
    public async Task RequestWithoutTargetUriAtEndOfFileEndsTheErrorAtTheEndOfFile()
    {
        var file = new WarcFileBuilder()
            .Record("request", "GET / HTTP/1.1\r\n\r\n", "WARC-Record-ID: <urn:uuid:1>")
            .ToArray();

        var run = await RunAsync(file);

        var error = run.ErrorDocs.Single();
        Assert.That(error.ErrorStartOffsetMap!["WARC"], Is.EqualTo(Bytes.Offset(Bytes.IndexOf(file, "WARC-Type: request"))));
        Assert.That(error.ErrorEndOffsetMap!["WARC"], Is.EqualTo(Bytes.Offset(file.Length)));
        Assert.That(run.Documents, Is.Empty);
    }

    [Test]
    public async Task RequestAtEndOfFileWithoutResponseIsParsed()
    {
        var file = new WarcFileBuilder()
            .Record("warcinfo", "software: hand\r\n")
            .Record("request", "GET / HTTP/1.1\r\n\r\n", "WARC-Target-URI: http://last.example/")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(run.Documents.Select(d => d.DocumentId), Is.EqualTo(new[] { "http://last.example/" }));
    }

    [Test]
    public async Task RequestsNotFollowedByResponsesEachYieldADocument()
    {
        var file = new WarcFileBuilder()
            .Record("request", "GET / HTTP/1.1\r\n\r\n", "WARC-Target-URI: http://a.example/")
            .Record("metadata", "fetchTimeMs: 1\r\n", "WARC-Target-URI: http://a.example/")
            .Record("request", "GET / HTTP/1.1\r\n\r\n", "WARC-Target-URI: http://b.example/")
            .Record("revisit", "", "WARC-Target-URI: http://b.example/")
            .Record("request", "GET / HTTP/1.1\r\n\r\n", "WARC-Target-URI: http://c.example/")
            .Record("request", "GET / HTTP/1.1\r\n\r\n", "WARC-Target-URI: http://d.example/")
            .Record("response", "HTTP/1.1 200 OK\r\n\r\n", "WARC-Target-URI: http://d.example/")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(run.Documents.Select(d => d.DocumentId),
                    Is.EqualTo(new[] { "http://a.example/", "http://b.example/", "http://c.example/", "http://d.example/" }));
        Assert.That(run.ErrorDocs, Is.Empty);
    }

    [Test]
    public async Task OtherRecordTypesYieldNothing()
    {
        var file = new WarcFileBuilder()
            .Record("warcinfo", "software: hand\r\n")
            .Record("response", "HTTP/1.1 200 OK\r\n\r\nWARC-Type: request? no", "WARC-Target-URI: http://a.example/")
            .Record("metadata", "fetchTimeMs: 1\r\n", "WARC-Target-URI: http://a.example/")
            .Record("resource", "x", "WARC-Target-URI: file:///x")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(run.Documents, Is.Empty);
        Assert.That(run.ErrorDocs, Is.Empty);
    }

    [Test]
    public async Task EmptyTargetUriIsAnError()
    {
        var file = new WarcFileBuilder()
            .Record("request", "GET / HTTP/1.1\r\n\r\n", "WARC-Target-URI: ")
            .Record("request", "GET / HTTP/1.1\r\n\r\n", "WARC-Target-URI: <>")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(run.ErrorDocs.Select(e => e.ErrorMessage), Has.All.Contains("empty WARC-Target-URI"));
        Assert.That(run.ErrorDocs, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task HeaderBlockWithoutBlankLineIsAnError()
    {
        var file = new WarcFileBuilder()
            .Raw("WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: http://cut.example/\r\nContent-Le")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(run.ErrorDocs.Single().ErrorMessage, Does.Contain("blank line"));
        Assert.That(run.Documents, Is.Empty);
    }

    [Test]
    public async Task NonAsciiTargetUriSurvives()
    {
        var file = new WarcFileBuilder()
            .Record("request", "GET / HTTP/1.1\r\n\r\n", "WARC-Target-URI: https://ja.wikipedia.org/wiki/日本語")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(run.Documents.Single().DocumentId, Is.EqualTo("https://ja.wikipedia.org/wiki/日本語"));
        using var json = JsonDocument.Parse(run.SerializedDocuments.Single());
        Assert.That(json.RootElement.GetProperty("targetUri").GetString(), Is.EqualTo("https://ja.wikipedia.org/wiki/日本語"));
    }

    [Test]
    public async Task TheOriginalEndPatternWouldLoseARequestThatFollowsARevisit()
    {
        // Why the end pattern is "WARC-Type: " rather than the original "WARC-Type: response".
        var content = File.ReadAllBytes(TestData.Torture("warcio-example.warc.gz"));

        var original = await _engine.RunAsync(() => new OriginalPatternsExtractor(), "WARC", "example.warc.gz", content);
        var ours = await RunAsync(content, "example.warc.gz");

        Assert.That(original.Documents, Has.Count.EqualTo(1));
        Assert.That(ours.Documents, Has.Count.EqualTo(2));
    }

    private Task<ParseRun> RunAsync(byte[] content, string fileName = "hand-made.warc") =>
        _engine.RunAsync(() => new TargetUriExtractor(), TargetUriExtractor.FileType, fileName, content);

    /// <summary>The oracle: WARC-Target-URI of every record whose WARC-Type header is "request", read by plain string code.</summary>
    private static List<string> RequestTargetUris(byte[] file)
    {
        var records = RawWarcWalker.Walk(file).Where(r => r.Type == "request").ToList();
        Assert.That(records, Has.Count.EqualTo(RawWarcWalker.CountOccurrences(file, "\r\nWARC-Type: request\r\n")),
                    "every 'WARC-Type: request' header line belongs to a request record the oracle found");
        return records.Select(r => StripAngleBrackets(r.Header("WARC-Target-URI")!)).ToList();
    }

    private static string StripAngleBrackets(string uri) =>
        uri.StartsWith('<') && uri.EndsWith('>') ? uri[1..^1] : uri;

    private static void AssertTargetUriDocuments(ParseRun run)
    {
        Assert.That(run.SerializedDocuments, Has.Count.EqualTo(run.Documents.Count));
        for (var i = 0; i < run.Documents.Count; i++)
        {
            var document = (Document)run.Documents[i];
            Assert.Multiple(() =>
            {
                Assert.That(document.RecordType, Is.EqualTo("TargetUri"));
                Assert.That(document.PartitionKey, Is.EqualTo(document.DocumentId));
                Assert.That(document.KeyValues["targetUri"], Is.EqualTo(document.DocumentId));
            });
            using var json = JsonDocument.Parse(run.SerializedDocuments[i]);
            Assert.That(json.RootElement.GetProperty("targetUri").GetString(), Is.EqualTo(document.DocumentId));
            Assert.That(json.RootElement.GetProperty("documentId").GetString(), Is.EqualTo(document.DocumentId));
            Assert.That(json.RootElement.GetProperty("recordType").GetString(), Is.EqualTo("TargetUri"));
        }
    }

    /// <summary>The extractor with the patterns of LetsData's Java example.</summary>
    private sealed class OriginalPatternsExtractor : ISingleFileParser
    {
        private readonly TargetUriExtractor _inner = new();

        public string S3FileType => _inner.S3FileType;

        public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

        public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForPattern("WARC-Type: request");

        public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("WARC-Type: response");

        public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record) =>
            _inner.ParseDocument(s3FileType, s3FileName, offsetBytes, record);
    }
}

/// <summary>The extractor's own members, called directly.</summary>
public class TargetUriExtractorMemberTests
{
    private readonly TargetUriExtractor _parser = new();

    [Test]
    public void DeclaresTheWarcFileTypeAndRequestPatterns()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_parser.S3FileType, Is.EqualTo("WARC"));
            Assert.That(_parser.GetResolvedS3FileName("WARC", "a/b.warc.gz"), Is.EqualTo("a/b.warc.gz"));
            Assert.That(_parser.GetRecordStartPattern("WARC").Pattern, Is.EqualTo("WARC-Type: request\r\n"));
            Assert.That(_parser.GetRecordEndPattern("WARC").Pattern, Is.EqualTo("WARC-Type: "));
        });
    }

    [Test]
    public void AnotherFileTypeIsAConfigurationErrorNotAnErrorDoc()
    {
        Assert.Throws<ArgumentException>(() => _parser.GetRecordStartPattern("WET"));
        Assert.Throws<ArgumentException>(() => _parser.ParseDocument("WET", "f", 0, "WARC-Type: request\r\n\r\n"u8));
    }

    [Test]
    public void ParsesARecordCutByHand()
    {
        var record = "WARC-Type: request\r\nWARC-Target-URI: http://a.example/\r\nContent-Length: 0\r\n\r\n\r\n\r\nWARC/1.0\r\n"u8;

        var result = _parser.ParseDocument("WARC", "f.warc", 1234, record);

        Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Success));
        var document = (Document)result.Document!;
        Assert.That(document.DocumentId, Is.EqualTo("http://a.example/"));
        Assert.That(document.KeyValues, Is.EqualTo(new Dictionary<string, object?> { ["targetUri"] = "http://a.example/" }));
    }

    [Test]
    public void ErrorOffsetsAreTheRecordsOffsetAndOffsetPlusLength()
    {
        var record = "WARC-Type: request\r\nContent-Length: 0\r\n\r\n"u8;

        var result = _parser.ParseDocument("WARC", "f.warc", 1000, record);

        Assert.That(result.Status, Is.EqualTo(ParseDocumentResultStatus.Error));
        var error = (IErrorDoc)result.Document!;
        Assert.That(error.ErrorStartOffsetMap!["WARC"], Is.EqualTo("1000"));
        Assert.That(error.ErrorEndOffsetMap!["WARC"], Is.EqualTo((1000 + record.Length).ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}

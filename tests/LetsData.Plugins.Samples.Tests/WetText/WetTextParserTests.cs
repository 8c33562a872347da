using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Plugins.Samples.Tests.Support;
using LetsData.Plugins.Samples.WetText;

namespace LetsData.Plugins.Samples.Tests.WetText;

/// <summary>The WET parser over whole files, run by the hand-written record cutter and by the worker's engine (the harness).</summary>
[TestFixtureSource(typeof(Engines), nameof(Engines.All))]
public class WetTextParserTests(string engineName)
{
    private const string Conversion = "conversion";

    private readonly IParserEngine _engine = Engines.Create(engineName);

    [Test]
    public async Task WhirlwindWetYieldsOneDocumentPerConversionRecordMatchingTheRawRecord()
    {
        var file = TestData.ReadDecompressed(TestData.WhirlwindWet);
        var raw = RawWarcWalker.Walk(file).Where(r => r.Type == Conversion).ToList();
        Assert.That(raw, Has.Count.EqualTo(1), "the oracle read the file as expected");
        var expected = raw[0];

        var run = await RunAsync(File.ReadAllBytes(TestData.WhirlwindWet), "whirlwind.warc.wet.gz");

        Assert.That(run.ErrorDocs, Is.Empty);
        var document = (Document)run.Documents.Single();
        var values = document.KeyValues;
        var text = (string)values["text"]!;
        var firstLine = Encoding.UTF8.GetString(expected.Payload.AsSpan(0, expected.Payload.AsSpan().IndexOf((byte)'\n')));
        Assert.Multiple(() =>
        {
            Assert.That(document.DocumentId, Is.EqualTo("https://an.wikipedia.org/wiki/Escopete"));
            Assert.That(document.PartitionKey, Is.EqualTo(document.DocumentId));
            Assert.That(document.RecordType, Is.EqualTo("WetText"));
            Assert.That(values["url"], Is.EqualTo(expected.Header("WARC-Target-URI")));
            Assert.That(values["language"], Is.EqualTo("spa"));
            Assert.That(values["language"], Is.EqualTo(expected.Header("WARC-Identified-Content-Language")));
            Assert.That(values["contentType"], Is.EqualTo(expected.Header("Content-Type")));
            Assert.That(values["contentLength"], Is.EqualTo(4456L));
            Assert.That(values["contentLength"], Is.EqualTo(long.Parse(expected.Header("Content-Length")!, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(values["blockDigest"], Is.EqualTo(expected.Header("WARC-Block-Digest")));
            Assert.That(values["warcDate"], Is.EqualTo(expected.Header("WARC-Date")));
            Assert.That(values["recordId"], Is.EqualTo(expected.Header("WARC-Record-ID")));
            Assert.That(Encoding.UTF8.GetByteCount(text), Is.EqualTo(expected.Payload.Length));
            Assert.That(text, Does.StartWith(firstLine));
            Assert.That(firstLine, Is.EqualTo("Escopete - Biquipedia, a enciclopedia libre"));
            Assert.That(text, Is.EqualTo(expected.PayloadText));
        });
    }

    [Test]
    public async Task WhirlwindWetSerializesAsAFlatKeyValueDocument()
    {
        var run = await RunAsync(File.ReadAllBytes(TestData.WhirlwindWet), "whirlwind.warc.wet.gz");

        using var json = JsonDocument.Parse(run.SerializedDocuments.Single());
        var root = json.RootElement;
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("url").GetString(), Is.EqualTo("https://an.wikipedia.org/wiki/Escopete"));
            Assert.That(root.GetProperty("documentId").GetString(), Is.EqualTo("https://an.wikipedia.org/wiki/Escopete"));
            Assert.That(root.GetProperty("partitionKey").GetString(), Is.EqualTo("https://an.wikipedia.org/wiki/Escopete"));
            Assert.That(root.GetProperty("recordType").GetString(), Is.EqualTo("WetText"));
            Assert.That(root.GetProperty("contentLength").GetInt64(), Is.EqualTo(4456));
            Assert.That(Encoding.UTF8.GetByteCount(root.GetProperty("text").GetString()!), Is.EqualTo(4456));
        });
    }

    [Test]
    public async Task WarcinfoRecordsAreNotParsed()
    {
        var file = new WarcFileBuilder()
            .Record("warcinfo", "isPartOf: CC-MAIN-2024-22\r\n", "Content-Type: application/warc-fields")
            .Record(Conversion, "page", "WARC-Target-URI: http://a.example/")
            .Record("warcinfo", "isPartOf: CC-MAIN-2024-22\r\n")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(run.Documents.Select(d => d.DocumentId), Is.EqualTo(new[] { "http://a.example/" }));
        Assert.That(((Document)run.Documents[0]).KeyValues["text"], Is.EqualTo("page"), "text is bounded by Content-Length, not by the next record");
        Assert.That(run.ErrorDocs, Is.Empty);
    }

    [Test]
    public async Task MalformedRecordsBecomeErrorDocsAndTheNextGoodRecordIsParsed()
    {
        var builder = new WarcFileBuilder()
            .Record("warcinfo", "isPartOf: test\r\n")                                                    // 0
            .Record(Conversion, "a", "WARC-Target-URI: http://a.example/")                               // 1
            .Raw("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://b.example/\r\n" +
                 "Content-Length: abc\r\n\r\nbbb\r\n\r\n")                                              // 2 bad length
            .Record(Conversion, "c", "WARC-Target-URI: http://c.example/")                               // 3
            .Raw("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://d.example/\r\n" +
                 "Content-Length: 0\r\n")                                                                // 4 no blank line
            .Record(Conversion, "e", "WARC-Target-URI: http://e.example/")                               // 5
            .Raw("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://f.example/\r\n" +
                 "Content-Length: 1000\r\n\r\nonly a few bytes\r\n\r\n")                                 // 6 truncated
            .Record(Conversion, "g", "WARC-Target-URI: http://g.example/")                               // 7
            .Raw("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://h.example/\r\n\r\nh\r\n\r\n") // 8 no length
            .Record(Conversion, "i", "WARC-Target-URI: http://i.example/")                               // 9
            .Record(Conversion, "no url", "WARC-Date: 2024-05-18T01:58:10Z")                            // 10 no url
            .Record(Conversion, "j", "WARC-Target-URI: http://j.example/");                              // 11
        var file = builder.ToArray();

        var run = await RunAsync(file);

        Assert.That(run.Documents.Select(d => d.DocumentId),
                    Is.EqualTo(new[] { "http://a.example/", "http://c.example/", "http://e.example/", "http://g.example/", "http://i.example/", "http://j.example/" }));
        Assert.That(run.Documents.Select(d => ((Document)d).KeyValues["text"]), Is.EqualTo(new[] { "a", "c", "e", "g", "i", "j" }));
        Assert.That(run.ErrorDocs, Has.Count.EqualTo(5));
        var expected = new (int Piece, string MessagePart, string? Url)[]
        {
            (2, "Content-Length that is not a non-negative number: 'abc'", "http://b.example/"),
            (4, "blank line", null),
            (6, "truncated: Content-Length is 1000", "http://f.example/"),
            (8, "no Content-Length", "http://h.example/"),
            (10, "no WARC-Target-URI", null),
        };
        for (var i = 0; i < expected.Length; i++)
        {
            var (piece, messagePart, url) = expected[i];
            var error = run.ErrorDocs[i];
            Assert.Multiple(() =>
            {
                Assert.That(error.ErrorMessage, Does.Contain(messagePart));
                Assert.That(error.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["WET"] = Bytes.Offset(builder.Offsets[piece]) }));
                Assert.That(error.ErrorEndOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["WET"] = Bytes.Offset(builder.Offsets[piece + 1]) }));
                Assert.That(error.DocumentId, Is.EqualTo(url));
                Assert.That(error.RecordType, Is.EqualTo("WetText"));
            });
        }
    }

    [Test]
    public async Task TruncatedLastRecordIsAnErrorEndingAtTheEndOfFile()
    {
        var builder = new WarcFileBuilder()
            .Record(Conversion, "a", "WARC-Target-URI: http://a.example/")
            .Raw("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://cut.example/\r\nContent-Length: 4456\r\n\r\nEscopete - Biq");
        var file = builder.ToArray();

        var run = await RunAsync(file);

        Assert.That(run.Documents.Select(d => d.DocumentId), Is.EqualTo(new[] { "http://a.example/" }));
        var error = run.ErrorDocs.Single();
        Assert.That(error.ErrorMessage, Does.Contain("truncated").And.Contain("Content-Length is 4456 but only 14 bytes"));
        Assert.That(error.ErrorStartOffsetMap!["WET"], Is.EqualTo(Bytes.Offset(builder.Offsets[1])));
        Assert.That(error.ErrorEndOffsetMap!["WET"], Is.EqualTo(Bytes.Offset(file.Length)));
    }

    [Test]
    public async Task HeaderCutOffAtEndOfFileIsAnError()
    {
        var file = new WarcFileBuilder()
            .Raw("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://cut.example/\r\nContent-Len")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(run.ErrorDocs.Single().ErrorMessage, Does.Contain("blank line"));
        Assert.That(run.Documents, Is.Empty);
    }

    [Test]
    public async Task NonAsciiTextSurvives()
    {
        const string text = "Català · Ελληνικά · Русский · 日本語 · עברית · emoji 🎉\nsecond line ñ";
        var file = new WarcFileBuilder()
            .Record(Conversion, text, "WARC-Target-URI: https://ja.wikipedia.org/wiki/日本", "WARC-Identified-Content-Language: jpn,cat")
            .ToArray();

        var run = await RunAsync(file);

        var document = (Document)run.Documents.Single();
        Assert.That(document.KeyValues["text"], Is.EqualTo(text));
        Assert.That(document.KeyValues["contentLength"], Is.EqualTo((long)Encoding.UTF8.GetByteCount(text)));
        Assert.That(document.DocumentId, Is.EqualTo("https://ja.wikipedia.org/wiki/日本"));
        using var json = JsonDocument.Parse(run.SerializedDocuments.Single());
        Assert.That(json.RootElement.GetProperty("text").GetString(), Is.EqualTo(text));
        Assert.That(json.RootElement.GetProperty("language").GetString(), Is.EqualTo("jpn,cat"));
    }

    [Test]
    public async Task InvalidUtf8BecomesReplacementCharactersNotAnException()
    {
        var file = new WarcFileBuilder()
            .Raw("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://bad.example/\r\nContent-Length: 3\r\n\r\n")
            .RawBytes([(byte)'f', 0xff, (byte)'g'])
            .Raw("\r\n\r\n")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(((Document)run.Documents.Single()).KeyValues["text"], Is.EqualTo("f\uFFFDg"));
    }

    [Test]
    public async Task TextIsExactlyContentLengthBytes()
    {
        var file = new WarcFileBuilder()
            .Raw("WARC/1.0\r\nWARC-Type: conversion\r\nWARC-Target-URI: http://short.example/\r\nContent-Length: 3\r\n\r\nabcdef\r\n\r\n")
            .Record(Conversion, "", "WARC-Target-URI: http://empty.example/")
            .ToArray();

        var run = await RunAsync(file);

        Assert.That(run.Documents.Select(d => ((Document)d).KeyValues["text"]), Is.EqualTo(new[] { "abc", "" }));
    }

    [Test]
    public async Task FieldNamesMatchIgnoringCaseAndMissingOptionalFieldsAreNull()
    {
        var file = new WarcFileBuilder()
            .Raw("WARC/1.0\r\nWARC-Type: conversion\r\nwarc-target-uri: http://a.example/\r\ncontent-length: 2\r\n\r\nhi\r\n\r\n")
            .ToArray();

        var run = await RunAsync(file);

        var values = ((Document)run.Documents.Single()).KeyValues;
        Assert.That(values["text"], Is.EqualTo("hi"));
        Assert.That(values["contentLength"], Is.EqualTo(2L));
        foreach (var key in new[] { "language", "contentType", "blockDigest", "warcDate", "recordId" })
        {
            Assert.That(values.ContainsKey(key) && values[key] is null, Is.True, key);
        }
        using var json = JsonDocument.Parse(run.SerializedDocuments.Single());
        Assert.That(json.RootElement.GetProperty("language").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    private Task<ParseRun> RunAsync(byte[] content, string fileName = "hand-made.warc.wet") =>
        _engine.RunAsync(() => new WetTextParser(), WetTextParser.FileType, fileName, content);
}

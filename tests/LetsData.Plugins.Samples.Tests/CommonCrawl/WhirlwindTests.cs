using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Plugins.Samples.CommonCrawl;
using LetsData.Plugins.Samples.Tests.Support;
using LetsData.Runtime.Testing;

namespace LetsData.Plugins.Samples.Tests.CommonCrawl;

/// <summary>The Common Crawl readers over the real (cut-down) whirlwind trio, checked against the raw records read by the oracle.</summary>
public class WhirlwindTests
{
    private const string Url = "https://an.wikipedia.org/wiki/Escopete";

    private static string WhirlwindWat => TestData.PathOf("commoncrawl", "whirlwind.warc.wat.gz");

    [Test]
    public async Task ShortWatEndsTheTaskCleanlyWithAnErrorNamingTheMissingRecords()
    {
        var result = await LetsDataTestHarness.RunMultipleFileStateMachineReaderAsync(() => new CommonCrawlReader(),
            HarnessFile.FromPath("WARC", TestData.WhirlwindWarc),
            HarnessFile.FromPath("WAT", WhirlwindWat),
            HarnessFile.FromPath("WET", TestData.WhirlwindWet));

        Assert.That(result.Tasks.Single().Succeeded, Is.True, () => result.Tasks[0].ErrorMessage ?? "");
        Assert.That(result.Documents, Is.Empty);
        Assert.That(result.SkipCount, Is.Zero);
        var error = result.ErrorDocs.Single();
        Assert.Multiple(() =>
        {
            Assert.That(error.ErrorMessage, Does.Contain("WAT file whirlwind.warc.wat.gz ended before"));
            Assert.That(error.ErrorMessage, Does.Contain("WAT response metadata, WAT metadata metadata"));
            Assert.That(error.ErrorMessage, Does.Contain(Url));
            Assert.That(error.ErrorStartOffsetMap!.Keys, Is.EquivalentTo(new[] { "WARC", "WAT", "WET" }));
            Assert.That(error.ErrorEndOffsetMap!.Keys, Is.EquivalentTo(new[] { "WARC", "WAT", "WET" }));
            // Every file was read to its end: the WARC group and the matching WET record were consumed with the WAT.
            Assert.That(error.ErrorEndOffsetMap!["WARC"], Is.EqualTo(Bytes.Offset(TestData.ReadDecompressed(TestData.WhirlwindWarc).Length)));
            Assert.That(error.ErrorEndOffsetMap!["WET"], Is.EqualTo(Bytes.Offset(TestData.ReadDecompressed(TestData.WhirlwindWet).Length)));
        });
    }

    [Test]
    public async Task CompletedWatGivesOneIndexRecordMatchingTheRawRecords()
    {
        // The whirlwind WAT lacks the response and metadata metadata records; add them (built from the raw WARC
        // records, without the code under test) to check the join on real WARC and WET data.
        var warc = TestData.ReadDecompressed(TestData.WhirlwindWarc);
        var wet = TestData.ReadDecompressed(TestData.WhirlwindWet);
        var wat = TestData.ReadDecompressed(WhirlwindWat);
        var raw = RawWarcWalker.Walk(warc);
        var response = raw.Single(r => r.Type == "response");
        var metadata = raw.Single(r => r.Type == "metadata");
        var conversion = RawWarcWalker.Walk(wet).Single(r => r.Type == "conversion");
        var completedWat = Concat(wat,
            WatRecord(Url, """{"Envelope":{"WARC-Header-Metadata":{"WARC-Type":"response"},"Payload-Metadata":{"HTTP-Response-Metadata":{"Response-Message":{"Status":"200"},"HTML-Metadata":{"Head":{"Title":"From the WAT","Metas":[{"name":"description","content":"WAT description"}]}}}}}}"""),
            WatRecord(Url, """{"Envelope":{"WARC-Header-Metadata":{"WARC-Type":"metadata"}}}"""));

        var result = await LetsDataTestHarness.RunMultipleFileStateMachineReaderAsync(() => new CommonCrawlReader(),
            new HarnessFile("WARC", "w.warc", warc), new HarnessFile("WAT", "w.wat", completedWat), new HarnessFile("WET", "w.wet", wet));

        Assert.That(result.Tasks.Single().Succeeded, Is.True, () => result.Tasks[0].ErrorMessage ?? "");
        Assert.That(result.ErrorRecords, Is.Empty, () => string.Join("\n", result.ErrorRecords.Select(e => e.ErrorMessage)));
        var index = (IndexRecord)result.Documents.Single();
        var body = Encoding.UTF8.GetString(response.Payload);
        var httpContentType = body.Split("\r\n").First(l => l.StartsWith("content-type:", StringComparison.OrdinalIgnoreCase))[13..].Trim();
        var ogImage = Between(body, "<meta property=\"og:image\" content=\"", "\"");
        using var cld2 = JsonDocument.Parse(metadata.PayloadText.Split("\r\n").First(l => l.StartsWith("languages-cld2:", StringComparison.Ordinal))[15..]);
        Assert.Multiple(() =>
        {
            Assert.That(index.Url, Is.EqualTo(response.Header("WARC-Target-URI")));
            Assert.That(index.DocumentId, Is.EqualTo(Url));
            Assert.That(index.Title, Is.EqualTo("From the WAT"), "the WAT's HTML metadata comes first");
            Assert.That(index.Description, Is.EqualTo("WAT description"));
            Assert.That(index.OgImage, Is.EqualTo(ogImage), "og:image falls back to the WARC response's head");
            Assert.That(index.ContentType, Is.EqualTo(httpContentType));
            Assert.That(index.Charset, Is.EqualTo("utf-8"));
            Assert.That(index.Languages, Is.EqualTo(new[] { "spa" }));
            Assert.That(index.Reliable, Is.EqualTo(cld2.RootElement.GetProperty("reliable").GetBoolean()));
            Assert.That(index.TextBytes, Is.EqualTo(cld2.RootElement.GetProperty("text-bytes").GetInt64()));
            Assert.That(index.DocText, Is.EqualTo(conversion.PayloadText));
            Assert.That(index.DocTextContentLength, Is.EqualTo(conversion.Payload.Length));
        });
        using var json = JsonDocument.Parse(result.SerializedDocuments.Single());
        Assert.That(json.RootElement.GetProperty("url").GetString(), Is.EqualTo(Url));
        Assert.That(json.RootElement.GetProperty("docText").GetString(), Is.EqualTo(conversion.PayloadText));
    }

    [Test]
    public async Task WarcReaderKeepsTheResponseRecordWithFieldsMatchingTheRawRecord()
    {
        var warc = TestData.ReadDecompressed(TestData.WhirlwindWarc);
        var raw = RawWarcWalker.Walk(warc);
        var response = raw.Single(r => r.Type == "response");
        var body = Encoding.UTF8.GetString(response.Payload);
        var headEnd = body.IndexOf("\r\n\r\n", StringComparison.Ordinal);

        var result = await LetsDataTestHarness.RunSingleFileStateMachineReaderAsync(() => new CommonCrawlWarcReader(),
            HarnessFile.FromPath("WARC", TestData.WhirlwindWarc));

        Assert.That(result.Tasks.Single().Succeeded, Is.True, () => result.Tasks[0].ErrorMessage ?? "");
        Assert.That(result.ErrorRecords, Is.Empty);
        var document = (WarcResponseRecord)result.Documents.Single();
        Assert.Multiple(() =>
        {
            Assert.That(document.TargetUri, Is.EqualTo(response.Header("WARC-Target-URI")));
            Assert.That(document.Header.RecordId, Is.EqualTo(response.Header("WARC-Record-ID")));
            Assert.That(document.DocumentId, Is.EqualTo(response.Header("WARC-Record-ID") + Url));
            Assert.That(document.Header.OffsetBytes, Is.EqualTo(response.Offset));
            Assert.That(document.Header.ContentLength, Is.EqualTo(response.Payload.Length));
            Assert.That(document.PayloadDigest, Is.EqualTo(response.Header("WARC-Payload-Digest")));
            Assert.That(document.StatusCode, Is.EqualTo(int.Parse(body[9..12], System.Globalization.CultureInfo.InvariantCulture)));
            Assert.That(document.BodyLength, Is.EqualTo(response.Payload.Length - (headEnd + 4)));
            Assert.That(document.Charset, Is.EqualTo("utf-8"));
            Assert.That(document.Html.Title, Is.EqualTo(Between(body, "<title>", "</title>")));
            Assert.That(document.Html.OpenGraphValue("og:image"), Is.EqualTo(Between(body, "<meta property=\"og:image\" content=\"", "\"")));
            Assert.That(document.Headers, Has.Some.Matches<KeyValuePair<string, string>>(h => h.Key == "server"));
        });
    }

    [Test]
    public async Task ParsersReadEveryRecordOfTheTrioWithoutErrors()
    {
        foreach (var (type, path, count) in new[] { ("WARC", TestData.WhirlwindWarc, 4), ("WAT", WhirlwindWat, 2), ("WET", TestData.WhirlwindWet, 2) })
        {
            var documents = ParseAll(type, TestData.ReadDecompressed(path));
            Assert.That(documents, Has.Count.EqualTo(count), type);
            Assert.That(documents, Has.None.InstanceOf<IErrorDoc>(), type);
        }

        var watRecords = ParseAll("WAT", TestData.ReadDecompressed(WhirlwindWat));
        Assert.That(watRecords[1].RecordType, Is.EqualTo(CommonCrawlRecordTypes.WatRequestMetadata),
            "the WAT metadata kind comes from the JSON envelope, not from the position");
    }

    /// <summary>Runs a parser over a whole file the way the engine does, with a hand-written cutter.</summary>
    internal static List<IDocument> ParseAll(string type, byte[] file)
    {
        CommonCrawlFileParser parser = type switch
        {
            "WARC" => new WarcFileParser(),
            "WAT" => new WatFileParser(),
            _ => new WetFileParser(),
        };
        var documents = new List<IDocument>();
        string? last = null;
        IDocument? lastDoc = null;
        var cursor = 0;
        while (true)
        {
            var expected = lastDoc is CommonCrawlRecord r ? parser.GetNextExpectedRecordType(type, r.RecordType) : parser.GetNextExpectedRecordType(type, last);
            var start = file.AsSpan(cursor).IndexOf(Encoding.ASCII.GetBytes(parser.GetNextRecordStartPattern(type, expected, lastDoc).Pattern));
            if (start < 0)
            {
                return documents;
            }

            start += cursor;
            var endPattern = Encoding.ASCII.GetBytes(parser.GetNextRecordEndPattern(type, expected, lastDoc).Pattern);
            var end = file.AsSpan(start + 10).IndexOf(endPattern);
            end = end < 0 ? file.Length : start + 10 + end;
            var result = parser.ParseDocument(type, "f", start, last, lastDoc, file.AsSpan(start, end - start));
            documents.Add(result.Document!);
            last = expected;
            lastDoc = result.Document;
            cursor = end;
        }
    }

    private static string Between(string text, string before, string after)
    {
        var start = text.IndexOf(before, StringComparison.Ordinal) + before.Length;
        return text[start..text.IndexOf(after, start, StringComparison.Ordinal)];
    }

    private static byte[] WatRecord(string url, string json)
    {
        var payload = Encoding.UTF8.GetBytes(json);
        var header = $"WARC/1.0\r\nWARC-Type: metadata\r\nWARC-Target-URI: {url}\r\nWARC-Record-ID: <urn:uuid:{Guid.NewGuid()}>\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\n\r\n";
        return [.. Encoding.ASCII.GetBytes(header), .. payload, .. "\r\n\r\n"u8];
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}

using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace LetsData.Plugins.Samples.Tests.CommonCrawl;

/// <summary>What the generator did to one URL.</summary>
internal enum UrlFate
{
    /// <summary>All parts present and well-formed: the reader must produce an index record.</summary>
    Complete,

    /// <summary>The WET conversion record was left out: the reader must SKIP the URL.</summary>
    WetGap,

    /// <summary>The WAT response metadata JSON was broken (same length): the reader must report an ERROR.</summary>
    CorruptWatJson,

    /// <summary>The WARC response's HTTP status line was broken (same length): the reader must report an ERROR.</summary>
    CorruptWarcStatusLine,
}

/// <summary>Options of a generated corpus.</summary>
internal sealed record CorpusOptions(int Urls, int Seed = 1, double WetGapRate = 0, int Corruptions = 0, bool Gzip = true,
    string? HtmlDirectory = "/usr/share/doc", int MaxHtmlFiles = 400);

/// <summary>The generator's ground truth: one entry per URL, in file order.</summary>
internal sealed record CorpusManifest(IReadOnlyList<string> Urls, IReadOnlyList<UrlFate> Fates, IReadOnlyList<string> Titles,
    long WarcBytes, long WatBytes, long WetBytes, int HtmlSources);

/// <summary>
/// Writes Common Crawl shaped WARC/WAT/WET trios from real HTML files (falling back to generated pages when too few
/// exist): warcinfo headers, request/response/metadata per URL in WARC, the matching WAT metadata records with a
/// JSON envelope (HTML metadata for responses), one WET conversion per URL. Gaps and corruptions are placed at
/// seeded random URLs and returned in the manifest. Written independently of the parsers under test.
/// </summary>
internal static class CommonCrawlCorpus
{
    private static readonly Lazy<IReadOnlyList<byte[]>> DefaultHtml = new(() => LoadHtml("/usr/share/doc", 400));

    /// <summary>Optional hook that may replace a record's uncompressed bytes (for malformed-input tests).</summary>
    public delegate byte[] RecordHook(string fileType, int urlIndex, string warcType, byte[] record);

    public static CorpusManifest Write(CorpusOptions options, Stream warc, Stream wat, Stream wet, RecordHook? hook = null)
    {
        var random = new Random(options.Seed);
        var html = options.HtmlDirectory == "/usr/share/doc" && options.MaxHtmlFiles == 400
            ? DefaultHtml.Value
            : LoadHtml(options.HtmlDirectory, options.MaxHtmlFiles);
        var fates = new UrlFate[options.Urls];
        for (var i = 0; i < fates.Length; i++)
        {
            fates[i] = random.NextDouble() < options.WetGapRate ? UrlFate.WetGap : UrlFate.Complete;
        }

        for (var placed = 0; placed < Math.Min(options.Corruptions, options.Urls);)
        {
            var at = random.Next(options.Urls);
            if (fates[at] is UrlFate.Complete or UrlFate.WetGap)
            {
                fates[at] = placed % 2 == 0 ? UrlFate.CorruptWatJson : UrlFate.CorruptWarcStatusLine;
                placed++;
            }
        }

        var urls = new List<string>(options.Urls);
        var titles = new List<string>(options.Urls);
        using var warcOut = new CountingWriter(warc, options.Gzip);
        using var watOut = new CountingWriter(wat, options.Gzip);
        using var wetOut = new CountingWriter(wet, options.Gzip);
        var date = new DateTime(2024, 5, 18, 1, 0, 0, DateTimeKind.Utc);
        var warcInfoId = Uuid(random);
        Emit(warcOut, "WARC", -1, "warcinfo", Record("warcinfo", [("WARC-Date", Iso(date)), ("WARC-Record-ID", warcInfoId),
            ("Content-Type", "application/warc-fields"), ("WARC-Filename", "CC-MAIN-generated-00000.warc.gz")],
            "isPartOf: CC-MAIN-GENERATED\r\npublisher: LetsData corpus generator\r\nformat: WARC File Format 1.1\r\n"u8.ToArray()), hook);
        Emit(watOut, "WAT", -1, "warcinfo", Record("warcinfo", [("WARC-Date", Iso(date)), ("WARC-Record-ID", Uuid(random)),
            ("Content-Type", "application/warc-fields")], "Software-Info: generator\r\nformat: WARC File Format 1.0\r\n"u8.ToArray()), hook);
        Emit(watOut, "WAT", -1, "metadata", Record("metadata", [("WARC-Target-URI", "CC-MAIN-generated-00000.warc.gz"),
            ("WARC-Date", Iso(date)), ("WARC-Record-ID", Uuid(random)), ("WARC-Refers-To", warcInfoId), ("Content-Type", "application/json")],
            Json(w => Envelope(w, "warcinfo", null, null))), hook);
        Emit(wetOut, "WET", -1, "warcinfo", Record("warcinfo", [("WARC-Date", Iso(date)), ("WARC-Record-ID", Uuid(random)),
            ("Content-Type", "application/warc-fields")], "Software-Info: generator\r\n"u8.ToArray()), hook);

        for (var i = 0; i < options.Urls; i++)
        {
            var page = html.Count > 0 ? html[i % html.Count] : GeneratedPage(i, random);
            var url = $"https://site{i % 97}.example.org/docs/{i}/page-{random.Next(1_000_000)}.html";
            var title = $"Page {i} \"{(char)('A' + (i % 26))}\" & co";
            urls.Add(url);
            titles.Add(title);
            var when = Iso(date.AddSeconds(i));
            var requestId = Uuid(random);
            var responseId = Uuid(random);
            var metadataId = Uuid(random);

            var request = Encoding.ASCII.GetBytes($"GET {new Uri(url).PathAndQuery} HTTP/1.1\r\nUser-Agent: CCBot/2.0\r\nAccept: text/html\r\nHost: {new Uri(url).Host}\r\n\r\n");
            var statusLine = fates[i] == UrlFate.CorruptWarcStatusLine ? "XTTP/1.1 200 OK" : "HTTP/1.1 200 OK";
            var response = Concat(Encoding.ASCII.GetBytes($"{statusLine}\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Length: {page.Length}\r\n\r\n"), page);
            var text = TextOf(page);
            var textBytes = Encoding.UTF8.GetBytes(text);
            var metadata = Encoding.ASCII.GetBytes($"fetchTimeMs: {random.Next(20, 900)}\r\ncharset-detected: UTF-8\r\nlanguages-cld2: {{\"reliable\":true,\"text-bytes\":{textBytes.Length},\"languages\":[{{\"code\":\"en\",\"code-iso-639-3\":\"eng\",\"text-covered\":0.99,\"score\":900.0,\"name\":\"ENGLISH\"}}]}}\r\n");

            Emit(warcOut, "WARC", i, "request", Record("request", [("WARC-Date", when), ("WARC-Record-ID", requestId),
                ("Content-Type", "application/http; msgtype=request"), ("WARC-Warcinfo-ID", warcInfoId), ("WARC-Target-URI", url)], request), hook);
            Emit(warcOut, "WARC", i, "response", Record("response", [("WARC-Date", when), ("WARC-Record-ID", responseId),
                ("Content-Type", "application/http; msgtype=response"), ("WARC-Concurrent-To", requestId), ("WARC-Target-URI", url),
                ("WARC-Payload-Digest", "sha1:" + Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(page))),
                ("WARC-Identified-Payload-Type", "text/html")], response), hook);
            Emit(warcOut, "WARC", i, "metadata", Record("metadata", [("WARC-Date", when), ("WARC-Record-ID", metadataId),
                ("Content-Type", "application/warc-fields"), ("WARC-Concurrent-To", responseId), ("WARC-Target-URI", url)], metadata), hook);

            Emit(watOut, "WAT", i, "metadata", WatRecord(url, when, requestId, random, Json(w => Envelope(w, "request", null, null))), hook);
            var responseJson = Json(w => Envelope(w, "response", title, url));
            if (fates[i] == UrlFate.CorruptWatJson)
            {
                responseJson[0] = (byte)'#';
            }

            Emit(watOut, "WAT", i, "metadata", WatRecord(url, when, responseId, random, responseJson), hook);
            Emit(watOut, "WAT", i, "metadata", WatRecord(url, when, metadataId, random, Json(w => Envelope(w, "metadata", null, null))), hook);

            if (fates[i] != UrlFate.WetGap)
            {
                Emit(wetOut, "WET", i, "conversion", Record("conversion", [("WARC-Target-URI", url), ("WARC-Date", when),
                    ("WARC-Record-ID", Uuid(random)), ("WARC-Refers-To", responseId), ("WARC-Identified-Content-Language", "eng"),
                    ("Content-Type", "text/plain")], textBytes), hook);
            }
        }

        return new CorpusManifest(urls, fates, titles, warcOut.Uncompressed, watOut.Uncompressed, wetOut.Uncompressed, html.Count);
    }

    /// <summary>The text a WET record holds for a page: tags dropped, whitespace collapsed (a stand-in for CC's extractor).</summary>
    internal static string TextOf(byte[] page)
    {
        var html = Encoding.UTF8.GetString(page);
        var builder = new StringBuilder(html.Length / 2);
        var inTag = false;
        foreach (var c in html)
        {
            if (c == '<')
            {
                inTag = true;
            }
            else if (c == '>')
            {
                inTag = false;
                builder.Append(' ');
            }
            else if (!inTag)
            {
                builder.Append(c);
            }
        }

        return string.Join('\n', builder.ToString().Split('\n').Select(l => string.Join(' ', l.Split(' ', '\t', '\r').Where(w => w.Length > 0))).Where(l => l.Length > 0));
    }

    private static IReadOnlyList<byte[]> LoadHtml(string? directory, int max)
    {
        if (directory is null || !Directory.Exists(directory))
        {
            return [];
        }

        var files = Directory.EnumerateFiles(directory, "*.htm*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".html", StringComparison.Ordinal) || f.EndsWith(".htm", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new FileInfo(f))
            .Where(f => f.Length is > 512 and < 4_000_000)
            .Take(max)
            .Select(f => File.ReadAllBytes(f.FullName))
            // A page holding the record phrase itself would cut its record short in any pattern-based reader.
            .Where(b => b.AsSpan().IndexOf("WARC/1.0\r\n"u8) < 0)
            .ToList();
        // Too few real pages would make a large corpus a handful of pages repeated; generated ones mix in then.
        return files.Count >= 20 ? files : [];
    }

    private static byte[] GeneratedPage(int i, Random random)
    {
        var words = new[] { "alpha", "data", "crawl", "index", "record", "letsdata", "segment", "page", "net", "parser" };
        var body = new StringBuilder();
        for (var p = 0; p < 5 + random.Next(40); p++)
        {
            body.Append("<p>");
            for (var w = 0; w < 30 + random.Next(80); w++)
            {
                body.Append(words[random.Next(words.Length)]).Append(' ');
            }

            body.Append("</p>\n");
        }

        return Encoding.UTF8.GetBytes($"<!DOCTYPE html>\n<html><head><title>Generated {i}</title></head><body>\n{body}</body></html>\n");
    }

    private static void Envelope(Utf8JsonWriter w, string warcType, string? title, string? url)
    {
        w.WriteStartObject();
        w.WriteStartObject("Container");
        w.WriteString("Filename", "CC-MAIN-generated-00000.warc.gz");
        w.WriteEndObject();
        w.WriteStartObject("Envelope");
        w.WriteString("Format", "WARC");
        w.WriteStartObject("WARC-Header-Metadata");
        w.WriteString("WARC-Type", warcType);
        if (url is not null)
        {
            w.WriteString("WARC-Target-URI", url);
        }

        w.WriteEndObject();
        w.WriteStartObject("Payload-Metadata");
        w.WriteString("Actual-Content-Type", warcType == "response" ? "application/http; msgtype=response" : "application/http; msgtype=request");
        if (title is not null)
        {
            w.WriteStartObject("HTTP-Response-Metadata");
            w.WriteStartObject("Response-Message");
            w.WriteString("Version", "HTTP/1.1");
            w.WriteString("Status", "200");
            w.WriteString("Reason", "OK");
            w.WriteEndObject();
            w.WriteStartObject("Headers");
            w.WriteString("Content-Type", "text/html; charset=UTF-8");
            w.WriteEndObject();
            w.WriteStartObject("HTML-Metadata");
            w.WriteStartObject("Head");
            w.WriteString("Title", title);
            w.WriteStartArray("Metas");
            Meta(w, "name", "description", $"Description of {title}");
            Meta(w, "name", "keywords", "generated,corpus");
            Meta(w, "property", "og:title", title);
            Meta(w, "property", "og:url", url);
            w.WriteEndArray();
            w.WriteStartArray("Link");
            w.WriteStartObject();
            w.WriteString("path", "LINK@/href");
            w.WriteString("url", url);
            w.WriteString("rel", "canonical");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Meta(Utf8JsonWriter w, string key, string name, string? content)
    {
        w.WriteStartObject();
        w.WriteString(key, name);
        w.WriteString("content", content);
        w.WriteEndObject();
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static byte[] WatRecord(string url, string when, string refersTo, Random random, byte[] json) =>
        Record("metadata", [("WARC-Target-URI", url), ("WARC-Date", when), ("WARC-Record-ID", Uuid(random)),
            ("WARC-Refers-To", refersTo), ("Content-Type", "application/json")], json);

    private static byte[] Record(string type, (string Name, string Value)[] fields, byte[] payload)
    {
        var header = new StringBuilder("WARC/1.0\r\nWARC-Type: ").Append(type).Append("\r\n");
        foreach (var (name, value) in fields)
        {
            header.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        header.Append("Content-Length: ").Append(payload.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        return Concat(Encoding.UTF8.GetBytes(header.ToString()), payload, "\r\n\r\n"u8.ToArray());
    }

    private static void Emit(CountingWriter output, string fileType, int urlIndex, string warcType, byte[] record, RecordHook? hook) =>
        output.WriteMember(hook is null ? record : hook(fileType, urlIndex, warcType, record));

    private static string Uuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return $"<urn:uuid:{new Guid(bytes)}>";
    }

    private static string Iso(DateTime when) => when.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, at);
            at += part.Length;
        }

        return result;
    }

    /// <summary>Writes each record as its own gzip member (as Common Crawl does), or raw.</summary>
    private sealed class CountingWriter(Stream output, bool gzip) : IDisposable
    {
        public long Uncompressed { get; private set; }

        public void WriteMember(byte[] record)
        {
            Uncompressed += record.Length;
            if (!gzip)
            {
                output.Write(record);
                return;
            }

            using var member = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
            member.Write(record);
        }

        public void Dispose() => output.Flush();
    }
}

using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace LetsData.Benchmarks.WholeProcess;

/// <summary>
/// A generated WARC shaped like <c>wget --warc-file</c> over a documentation site: a warcinfo record, then per fetched
/// URL a request record (~400 B) and a response record (HTTP headers + body; ~7 KB on average, log-normal sizes: mostly
/// HTML pages sharing a site's boilerplate, some CSS/JS, some images), each record its own gzip member as wget writes
/// them, and a closing metadata record (wget's log). The many-small-records shape of issue 16, next to the Common
/// Crawl corpus's few large records. Generated on first use, cached under artifacts/bench-data/, never committed.
/// </summary>
internal sealed record WgetWarcCorpus(string Directory, long Requests, long Records, long PlainBytes)
{
    public const string GzipFile = "wget.warc.gz";
    public const string PlainFile = "wget.warc";
    private const string InfoFile = "wget.info";

    /// <summary>URLs generated per parallel chunk (each chunk has its own seeded random source, so output is deterministic).</summary>
    private const int ChunkUrls = 256;

    private const int GeneratorVersion = 2;

    public string GzipPath => Path.Combine(Directory, GzipFile);
    public string PlainPath => Path.Combine(Directory, PlainFile);

    /// <summary>The cached corpus of about <paramref name="plainMb"/> MB uncompressed, generated when missing.</summary>
    public static WgetWarcCorpus Ensure(RepositoryLayout layout, int plainMb)
    {
        // The generator's version in the name: a changed generator never reuses an older cached corpus.
        var directory = Path.Combine(layout.BenchDataDirectory, $"wget-warc-v{GeneratorVersion}-{plainMb}mb");
        var info = Path.Combine(directory, InfoFile);
        if (!File.Exists(info))
        {
            Console.Error.Write($"  generating a wget-shaped WARC of ~{plainMb} MB into {Path.GetRelativePath(layout.Root, directory)} ... ");
            var started = System.Diagnostics.Stopwatch.StartNew();
            var temporary = directory + ".tmp";
            if (System.IO.Directory.Exists(temporary))
            {
                System.IO.Directory.Delete(temporary, recursive: true);
            }

            System.IO.Directory.CreateDirectory(temporary);
            var (requests, records, plain) = Generate(Path.Combine(temporary, GzipFile), Path.Combine(temporary, PlainFile), plainMb * 1_000_000L);
            File.WriteAllText(Path.Combine(temporary, InfoFile), string.Create(CultureInfo.InvariantCulture, $"{requests} {records} {plain}"));
            if (System.IO.Directory.Exists(directory))
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }

            System.IO.Directory.Move(temporary, directory);
            Console.Error.WriteLine($"{started.Elapsed.TotalSeconds:F0} s");
        }

        var fields = File.ReadAllText(info).Split(' ');
        return new WgetWarcCorpus(directory, long.Parse(fields[0], CultureInfo.InvariantCulture), long.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[2], CultureInfo.InvariantCulture));
    }

    /// <summary>Writes both files; returns the request records, all records and the uncompressed bytes.</summary>
    internal static (long Requests, long Records, long PlainBytes) Generate(string gzipPath, string plainPath, long targetPlainBytes)
    {
        var warcinfoId = RecordId(new Random(0));
        using var gzip = new FileStream(gzipPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        using var plain = new FileStream(plainPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        var written = 0L;
        var requests = 0L;
        var records = 0L;
        void Emit(Chunk chunk)
        {
            gzip.Write(chunk.Gzip);
            plain.Write(chunk.Plain);
            written += chunk.Plain.Length;
            requests += chunk.Requests;
            records += chunk.Records;
        }

        Emit(Chunk.Of([Warcinfo(warcinfoId)], 0));
        // Chunks in batches of two (this machine's cores), written in order.
        for (var batch = 0; written < targetPlainBytes; batch++)
        {
            var chunks = new Chunk[2];
            Parallel.For(0, chunks.Length, i => chunks[i] = UrlChunk(batch * chunks.Length + i, warcinfoId));
            foreach (var chunk in chunks)
            {
                if (written < targetPlainBytes)
                {
                    Emit(chunk);
                }
            }
        }

        Emit(Chunk.Of([WgetLog(warcinfoId, requests)], 0));
        return (requests, records, written);
    }

    private sealed record Chunk(byte[] Gzip, byte[] Plain, int Requests, int Records)
    {
        public static Chunk Of(IReadOnlyList<byte[]> records, int requests)
        {
            using var gzip = new MemoryStream();
            using var plain = new MemoryStream();
            foreach (var record in records)
            {
                plain.Write(record);
                // One gzip member per record, as wget (and every WARC writer) does; zlib's default level, as wget's.
                using var member = new GZipStream(gzip, CompressionLevel.Optimal, leaveOpen: true);
                member.Write(record);
            }

            return new Chunk(gzip.ToArray(), plain.ToArray(), requests, records.Count);
        }
    }

    private static Chunk UrlChunk(int index, string warcinfoId)
    {
        var random = new Random(1_000 + index);
        var records = new List<byte[]>(ChunkUrls * 2);
        var date = new DateTime(2026, 11, 3, 14, 0, 0, DateTimeKind.Utc).AddSeconds(index * ChunkUrls);
        for (var i = 0; i < ChunkUrls; i++)
        {
            var page = index * ChunkUrls + i;
            var (path, kind) = PagePath(random, page);
            var uri = $"https://docs.example.org/{path}";
            var requestId = RecordId(random);
            var at = date.AddMilliseconds(i * 731).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            var request = Encoding.ASCII.GetBytes(
                $"GET /{path} HTTP/1.1\r\nUser-Agent: Wget/1.21.3\r\nAccept: */*\r\nAccept-Encoding: identity\r\n"
                + $"Host: docs.example.org\r\nConnection: Keep-Alive\r\n\r\n");
            records.Add(Record("request", requestId, warcinfoId, uri, at, "application/http;msgtype=request", request, concurrentTo: null));
            var body = Body(random, kind, page);
            var head = Encoding.ASCII.GetBytes(
                $"HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nDate: {date:R}\r\nContent-Type: {ContentType(kind)}\r\nContent-Length: {body.Length}\r\n"
                + $"Last-Modified: {date.AddDays(-random.Next(1, 400)):R}\r\nConnection: keep-alive\r\nETag: \"{random.Next():x8}-{body.Length:x}\"\r\n"
                + "Accept-Ranges: bytes\r\n\r\n");
            var block = new byte[head.Length + body.Length];
            head.CopyTo(block, 0);
            body.CopyTo(block, head.Length);
            records.Add(Record("response", RecordId(random), warcinfoId, uri, at, "application/http;msgtype=response", block, requestId, payload: body));
        }

        return Chunk.Of(records, ChunkUrls);
    }

    private enum Kind { Html, Css, Js, Png }

    private static readonly string[] Sections = ["api", "guide", "reference", "tutorial", "howto", "concepts", "release-notes", "faq"];

    private static (string Path, Kind Kind) PagePath(Random random, int page)
    {
        var roll = random.NextDouble();
        var kind = roll < 0.82 ? Kind.Html : roll < 0.88 ? Kind.Css : roll < 0.93 ? Kind.Js : Kind.Png;
        var section = Sections[random.Next(Sections.Length)];
        return kind switch
        {
            Kind.Html => ($"{section}/{Word(random)}-{Word(random)}/page-{page}.html", kind),
            Kind.Css => ($"_static/css/{Word(random)}-{page}.css", kind),
            Kind.Js => ($"_static/js/{Word(random)}-{page}.js", kind),
            _ => ($"_images/{Word(random)}-{page}.png", kind),
        };
    }

    private static string ContentType(Kind kind) => kind switch
    {
        Kind.Html => "text/html; charset=utf-8",
        Kind.Css => "text/css",
        Kind.Js => "application/javascript",
        _ => "image/png",
    };

    /// <summary>
    /// Body sizes: log-normal around a 9 KB median (mean ~13 KB), as the pages of a documentation tree are; with the
    /// ~0.6 KB request records in between, records average ~7 KB, as in issue 16's wget WARC.
    /// </summary>
    private static int BodyBytes(Random random, Kind kind)
    {
        // Box–Muller: a normal deviate from two uniforms.
        var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        var median = kind == Kind.Png ? 6_000 : 9_000;
        return (int)Math.Clamp(median * Math.Exp(0.85 * normal), 200, 250_000);
    }

    private static byte[] Body(Random random, Kind kind, int page)
    {
        var size = BodyBytes(random, kind);
        if (kind == Kind.Png)
        {
            var image = new byte[size];
            random.NextBytes(image);
            "\x89PNG\r\n\x1a\n"u8.CopyTo(image);
            return image;
        }

        var text = new StringBuilder(size + 1_024);
        if (kind == Kind.Html)
        {
            text.Append(SiteHeader).Append(CultureInfo.InvariantCulture, $"<title>{Word(random)} {Word(random)} — Example Docs</title></head>\n<body>\n")
                .Append(Navigation).Append(CultureInfo.InvariantCulture, $"<main id=\"page-{page}\">\n<h1>{Word(random)} {Word(random)}</h1>\n");
            while (text.Length < size)
            {
                text.Append("<p>");
                for (var words = random.Next(12, 60); words > 0; words--)
                {
                    text.Append(Word(random)).Append(' ');
                }

                text.Append("</p>\n");
                if (random.Next(6) == 0)
                {
                    text.Append(CultureInfo.InvariantCulture, $"<pre><code>var {Word(random)} = client.{Word(random)}({random.Next(1000)});</code></pre>\n");
                }
            }

            text.Append("</main>\n").Append(Footer);
        }
        else
        {
            while (text.Length < size)
            {
                text.Append(kind == Kind.Css
                    ? $".{Word(random)}-{Word(random)} {{ margin: {random.Next(24)}px; color: #{random.Next(0xffffff):x6}; }}\n"
                    : $"function {Word(random)}{random.Next(100)}(e) {{ return e.{Word(random)} && {Word(random)}(e, {random.Next(64)}); }}\n");
            }
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private const string SiteHeader = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<link rel=\"stylesheet\" href=\"/_static/css/theme.css\">\n<link rel=\"stylesheet\" href=\"/_static/css/pygments.css\">\n"
        + "<script src=\"/_static/js/jquery.js\"></script>\n<script src=\"/_static/js/doctools.js\"></script>\n";

    private static readonly string Navigation = "<nav class=\"sidebar\">\n<ul>\n"
        + string.Concat(Sections.SelectMany(s => Enumerable.Range(1, 6).Select(i => $"<li class=\"toctree-l1\"><a href=\"/{s}/index-{i}.html\">{s} {i}</a></li>\n")))
        + "</ul>\n</nav>\n";

    private const string Footer = "<footer>\n<p>&copy; Copyright 2026, Example Project contributors. Built with a documentation generator.</p>\n"
        + "</footer>\n</body>\n</html>\n";

    private static readonly string[] Vocabulary = ("the a of to and in is for that with on as are by this be it or from an at can which use "
        + "function method class parameter returns value object string list default option configuration server client request response "
        + "file data type error example instance field property event stream buffer index table query record document task worker "
        + "connection timeout retry batch partition shard manifest reader writer parser plugin runtime module package version release "
        + "install build deploy test benchmark memory thread process async await callback handler pipeline schema validate").Split(' ');

    private static string Word(Random random) => Vocabulary[random.Next(Vocabulary.Length)];

    private static string RecordId(Random random) => $"<urn:uuid:{new Guid(RandomBytes(random, 16))}>";

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Record(string type, string id, string warcinfoId, string uri, string at, string contentType, byte[] block,
        string? concurrentTo, byte[]? payload = null)
    {
        var header = new StringBuilder(512)
            .Append("WARC/1.0\r\n")
            .Append(CultureInfo.InvariantCulture, $"WARC-Type: {type}\r\n")
            .Append(CultureInfo.InvariantCulture, $"WARC-Record-ID: {id}\r\n")
            .Append(CultureInfo.InvariantCulture, $"WARC-Warcinfo-ID: {warcinfoId}\r\n");
        if (concurrentTo is not null)
        {
            header.Append(CultureInfo.InvariantCulture, $"WARC-Concurrent-To: {concurrentTo}\r\n");
        }

        header.Append(CultureInfo.InvariantCulture, $"WARC-Target-URI: {uri}\r\n")
            .Append(CultureInfo.InvariantCulture, $"WARC-Date: {at}\r\n")
            .Append("WARC-IP-Address: 192.0.2.17\r\n")
            .Append(CultureInfo.InvariantCulture, $"WARC-Block-Digest: sha1:{Base32(SHA1.HashData(block))}\r\n");
        if (payload is not null)
        {
            header.Append(CultureInfo.InvariantCulture, $"WARC-Payload-Digest: sha1:{Base32(SHA1.HashData(payload))}\r\n");
        }

        header.Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {block.Length}\r\n\r\n");
        var head = Encoding.ASCII.GetBytes(header.ToString());
        var record = new byte[head.Length + block.Length + 4];
        head.CopyTo(record, 0);
        block.CopyTo(record, head.Length);
        "\r\n\r\n"u8.CopyTo(record.AsSpan(head.Length + block.Length));
        return record;
    }

    private static byte[] Warcinfo(string id)
    {
        var block = Encoding.ASCII.GetBytes("software: Wget/1.21.3 (linux-gnu)\r\nformat: WARC File Format 1.0\r\n"
            + "conformsTo: http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf\r\nrobots: classic\r\n"
            + "wget-arguments: \"--mirror\" \"--warc-file=docs\" \"https://docs.example.org/\"\r\n");
        var header = Encoding.ASCII.GetBytes($"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: {id}\r\nWARC-Filename: docs.warc.gz\r\n"
            + $"WARC-Date: 2026-11-03T14:00:00Z\r\nContent-Type: application/warc-fields\r\nContent-Length: {block.Length}\r\n\r\n");
        return [.. header, .. block, .. "\r\n\r\n"u8];
    }

    private static byte[] WgetLog(string warcinfoId, long requests)
    {
        var block = Encoding.ASCII.GetBytes($"FINISHED --2026-11-03 15:12:09--\nTotal wall clock time: 1h 12m 9s\nDownloaded: {requests} files\n");
        var header = Encoding.ASCII.GetBytes($"WARC/1.0\r\nWARC-Type: resource\r\nWARC-Record-ID: {RecordId(new Random(2))}\r\n"
            + $"WARC-Warcinfo-ID: {warcinfoId}\r\nWARC-Target-URI: metadata://gnu.org/software/wget/warc/wget.log\r\n"
            + $"WARC-Date: 2026-11-03T15:12:09Z\r\nContent-Type: text/plain\r\nContent-Length: {block.Length}\r\n\r\n");
        return [.. header, .. block, .. "\r\n\r\n"u8];
    }

    private static string Base32(byte[] bytes)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var text = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                text.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            text.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }

        return text.ToString();
    }
}

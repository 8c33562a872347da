using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace LetsData.MicroBenchmarks.Inputs;

/// <summary>
/// A deterministic in-memory corpus of WARC-framed response records ("WARC/1.0\r\nWARC-Type: response\r\n", headers,
/// an HTTP response whose body is lower-case words), generated from a fixed seed: the same shape always gives the same
/// bytes, in the benchmark process and in the host that computes the MB/s column. The body has no upper-case letters,
/// so the record start occurs exactly once per record; word-like text compresses about as well as web text (random
/// bytes would make inflating unrealistically slow). Nothing is written to disk.
/// </summary>
internal sealed class WarcLikeCorpus
{
    /// <summary>What the Common Crawl sample reader searches for as a response record's start.</summary>
    public const string StartPattern = "WARC/1.0\r\nWARC-Type: response\r\n";

    /// <summary>What it ends every record at: the next record's start, whatever its type.</summary>
    public const string EndPattern = "WARC/1.0\r\nWARC-Type: ";

    /// <summary>Decompressed bytes per corpus: a few MB, so one benchmark call takes milliseconds, not seconds.</summary>
    public const int TargetBytes = 16 * 1024 * 1024;

    private static readonly ConcurrentDictionary<RecordShape, WarcLikeCorpus> Cache = new();
    private static readonly byte[][] Words = BuildVocabulary();

    private readonly List<Range> _records;
    private byte[]? _gzipPerRecord;

    private WarcLikeCorpus(byte[] plain, List<Range> records)
    {
        Plain = plain;
        _records = records;
    }

    /// <summary>The records back to back, uncompressed.</summary>
    public byte[] Plain { get; }

    public int RecordCount => _records.Count;

    /// <summary>The corpus of <paramref name="shape"/>, generated once per process.</summary>
    public static WarcLikeCorpus For(RecordShape shape) => Cache.GetOrAdd(shape, Generate);

    /// <summary>
    /// The same records as multi-member gzip, one member per record as WARC files are written (a reader can start at
    /// any record), compressed once per process at the default level.
    /// </summary>
    public byte[] GzipPerRecord()
    {
        if (_gzipPerRecord is { } done)
        {
            return done;
        }

        using var output = new MemoryStream(Plain.Length / 2);
        foreach (var record in _records)
        {
            using var member = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true);
            member.Write(Plain.AsSpan(record));
        }

        return _gzipPerRecord = output.ToArray();
    }

    private static WarcLikeCorpus Generate(RecordShape shape)
    {
        var (minBytes, maxBytes) = shape switch
        {
            RecordShape.Small1K => (768, 1280),
            RecordShape.Warc7K => (5376, 8960),
            _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, "unknown record shape"),
        };

        var random = new Random(20261207 + (int)shape);
        var plain = new MemoryStream(TargetBytes + maxBytes);
        var records = new List<Range>();
        var body = new StringBuilder(maxBytes);
        for (var n = 0; plain.Length < TargetBytes; n++)
        {
            var target = random.Next(minBytes, maxBytes);
            var record = Record(random, n, target, body);
            var start = (int)plain.Length;
            plain.Write(record);
            records.Add(start..(int)plain.Length);
        }

        return new WarcLikeCorpus(plain.ToArray(), records);
    }

    private static byte[] Record(Random random, int number, int targetBytes, StringBuilder body)
    {
        body.Clear();
        body.Append("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body>\n");
        // The WARC headers take ~300 B; the body fills the rest of the target, in lines of ~80 characters.
        var lineStart = body.Length;
        body.Append("<p>");
        while (body.Length < targetBytes - 320)
        {
            body.Append(Encoding.ASCII.GetString(Words[WordIndex(random)]));
            if (body.Length - lineStart > 80)
            {
                body.Append("</p>\n<p>");
                lineStart = body.Length;
            }
            else
            {
                body.Append(' ');
            }
        }

        body.Append("</p>");

        body.Append("\n</body></html>\n");
        var payload = Encoding.ASCII.GetBytes(body.ToString());
        var seconds = number % 86400;
        var header = new StringBuilder(400)
            .Append(StartPattern)
            .Append(CultureInfo.InvariantCulture, $"WARC-Date: 2026-12-07T{seconds / 3600:D2}:{seconds / 60 % 60:D2}:{seconds % 60:D2}Z\r\n")
            .Append(CultureInfo.InvariantCulture,
                $"WARC-Record-ID: <urn:uuid:{random.Next():x8}-{random.Next(0x10000):x4}-{random.Next(0x10000):x4}-{random.Next(0x10000):x4}-{random.NextInt64(1L << 48):x12}>\r\n")
            .Append(CultureInfo.InvariantCulture,
                $"WARC-Target-URI: http://site-{number % 997}.example/{Encoding.ASCII.GetString(Words[WordIndex(random)])}/{number}\r\n")
            .Append("Content-Type: application/http; msgtype=response\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {payload.Length}\r\n\r\n")
            .ToString();
        var record = new byte[header.Length + payload.Length + 4];
        Encoding.ASCII.GetBytes(header, record);
        payload.CopyTo(record, header.Length);
        "\r\n\r\n"u8.CopyTo(record.AsSpan(header.Length + payload.Length));
        return record;
    }

    /// <summary>
    /// Few words are frequent and most are rare, as in text (roughly Zipf's law): with uniformly drawn words a record
    /// would compress far worse than web pages do, and inflate at an unrealistic speed.
    /// </summary>
    private static int WordIndex(Random random) => (int)(Words.Length * Math.Pow(random.NextDouble(), 3));

    /// <summary>512 pseudo-words of 2-11 lower-case letters, from a fixed seed.</summary>
    private static byte[][] BuildVocabulary()
    {
        var random = new Random(7);
        var words = new byte[512][];
        for (var i = 0; i < words.Length; i++)
        {
            var word = new byte[random.Next(2, 12)];
            for (var j = 0; j < word.Length; j++)
            {
                word[j] = (byte)('a' + random.Next(26));
            }

            words[i] = word;
        }

        return words;
    }
}

using System.IO.Compression;
using System.Text;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>One WARC record: its header fields in file order and its block (the Content-Length bytes after the header).</summary>
internal sealed record WarcRecord(IReadOnlyList<KeyValuePair<string, string>> Fields, byte[] Block)
{
    public string? Type => Field("WARC-Type");

    /// <summary>The first value of a header field (names compare case-insensitively, as WARC says), or null.</summary>
    public string? Field(string name) =>
        Fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value).FirstOrDefault();
}

/// <summary>
/// The tests' own reading of a .warc.gz / .wet.gz file, independent of the runtime and the sample plugins: gunzip the
/// whole file, then walk it record by record using each record's Content-Length (not record patterns).
/// </summary>
internal static class WarcRecords
{
    private const string Crlf = "\r\n";

    public static IReadOnlyList<WarcRecord> ReadAll(string gzipFile)
    {
        // One GZipStream reads every member of a multi-member file (each Common Crawl record is its own member).
        using var file = File.OpenRead(gzipFile);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gzip.CopyTo(buffer);
        var bytes = buffer.ToArray();
        // Latin-1 maps each byte to one char, so string positions are byte positions.
        var text = Encoding.Latin1.GetString(bytes);

        var records = new List<WarcRecord>();
        var position = 0;
        while (position < text.Length)
        {
            if (!text.AsSpan(position).StartsWith("WARC/", StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{gzipFile}: expected a WARC version line at decompressed offset {position}");
            }

            var headerEnd = text.IndexOf(Crlf + Crlf, position, StringComparison.Ordinal);
            if (headerEnd < 0)
            {
                throw new InvalidDataException($"{gzipFile}: the record at {position} has no end of header");
            }

            var lines = text[position..headerEnd].Split(Crlf);
            var fields = new List<KeyValuePair<string, string>>();
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    // Values are UTF-8 in WARC 1.1: turn the Latin-1 chars back into bytes and decode.
                    var value = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(line[(colon + 1)..].Trim()));
                    fields.Add(new(line[..colon].Trim(), value));
                }
            }

            var length = int.Parse(fields.First(f => f.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value,
                System.Globalization.CultureInfo.InvariantCulture);
            var blockStart = headerEnd + 4;
            records.Add(new WarcRecord(fields, bytes[blockStart..(blockStart + length)]));
            position = blockStart + length;
            // Records are separated by two CRLFs.
            while (text.AsSpan(position).StartsWith(Crlf, StringComparison.Ordinal))
            {
                position += Crlf.Length;
            }
        }

        return records;
    }

    /// <summary>A <c>WARC-Target-URI</c> value as a URI: some writers put it in angle brackets.</summary>
    public static string Uri(string value) =>
        value.Length >= 2 && value[0] == '<' && value[^1] == '>' ? value[1..^1].Trim() : value;
}

using System.Globalization;
using System.Text;

namespace LetsData.Plugins.Samples.Tests.Support;

/// <summary>
/// An oracle for the parser tests, deliberately written with none of the code under test and none of
/// its pattern rules: it walks a well-formed WARC file record by record, header block then exactly
/// Content-Length payload bytes, with plain string code.
/// </summary>
internal static class RawWarcWalker
{
    public static IReadOnlyList<RawWarcRecord> Walk(byte[] file)
    {
        // Latin-1 maps each byte to one char, so string indexes are byte offsets.
        var text = Encoding.Latin1.GetString(file);
        var records = new List<RawWarcRecord>();
        var position = 0;
        while (true)
        {
            var start = text.IndexOf("WARC/1.", position, StringComparison.Ordinal);
            if (start < 0)
            {
                return records;
            }
            var headerEnd = text.IndexOf("\r\n\r\n", start, StringComparison.Ordinal);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in text[start..headerEnd].Split("\r\n").Skip(1))
            {
                var colon = line.IndexOf(':');
                var value = Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(line[(colon + 1)..].Trim()));
                headers.TryAdd(line[..colon].Trim(), value);
            }
            var payloadStart = headerEnd + 4;
            var length = int.Parse(headers["Content-Length"], CultureInfo.InvariantCulture);
            records.Add(new RawWarcRecord(start, headers, file[payloadStart..(payloadStart + length)]));
            position = payloadStart + length;
        }
    }

    /// <summary>The number of times <paramref name="text"/> occurs in the file (ASCII search).</summary>
    public static int CountOccurrences(byte[] file, string text)
    {
        var haystack = Encoding.Latin1.GetString(file);
        var count = 0;
        for (var i = haystack.IndexOf(text, StringComparison.Ordinal); i >= 0;
             i = haystack.IndexOf(text, i + text.Length, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}

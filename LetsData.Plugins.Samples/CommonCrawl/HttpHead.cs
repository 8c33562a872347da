using System.Buffers.Text;
using System.Text;
using LetsData.Plugins.Samples.Warc;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The head of an HTTP message held in a WARC request or response payload: the start line and the header lines up
/// to the blank line, read in place. Header values are decoded only when asked for.
/// </summary>
public readonly ref struct HttpHead
{
    private HttpHead(ReadOnlySpan<byte> startLine, ReadOnlySpan<byte> headerLines, int bodyStart)
    {
        StartLine = startLine;
        HeaderLines = headerLines;
        BodyStart = bodyStart;
    }

    /// <summary>The first line: <c>GET /path HTTP/1.1</c> or <c>HTTP/1.1 200 OK</c>.</summary>
    public ReadOnlySpan<byte> StartLine { get; }

    /// <summary>The header lines, without the start line and without the blank line.</summary>
    public ReadOnlySpan<byte> HeaderLines { get; }

    /// <summary>The index in the payload of the first body byte.</summary>
    public int BodyStart { get; }

    /// <summary>
    /// Finds the HTTP head at the start of a WARC payload. Lines end in CRLF; a bare LF is accepted too, since some
    /// servers send it and crawlers store what they got.
    /// </summary>
    /// <param name="payload">The WARC record payload.</param>
    /// <param name="head">The head, when found.</param>
    /// <returns><see langword="false"/> when there is no blank line ending the head.</returns>
    public static bool TryRead(ReadOnlySpan<byte> payload, out HttpHead head)
    {
        head = default;
        var crlf = payload.IndexOf("\r\n\r\n"u8);
        var lf = payload.IndexOf("\n\n"u8);
        int end, separator;
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            (end, separator) = (crlf, 4);
        }
        else if (lf >= 0)
        {
            (end, separator) = (lf, 2);
        }
        else
        {
            // A response that ends right after its headers, with no body and no blank line, still has a usable head.
            if (payload.IsEmpty || !payload.EndsWith("\r\n"u8))
            {
                return false;
            }

            (end, separator) = (payload.Length - 2, 2);
        }

        var lines = payload[..end];
        var firstLineEnd = lines.IndexOf((byte)'\n');
        var startLine = firstLineEnd < 0 ? lines : lines[..firstLineEnd];
        var headerLines = firstLineEnd < 0 ? default : lines[(firstLineEnd + 1)..];
        head = new HttpHead(startLine.TrimEnd((byte)'\r'), headerLines, end + separator);
        return true;
    }

    /// <summary>Reads a response status line: <c>HTTP/1.1 200 OK</c>.</summary>
    /// <param name="statusCode">The three-digit status code.</param>
    /// <param name="reason">The reason phrase (may be empty).</param>
    /// <returns><see langword="false"/> when the line is not a status line.</returns>
    public bool TryReadStatusLine(out int statusCode, out ReadOnlySpan<byte> reason)
    {
        statusCode = 0;
        reason = default;
        var line = StartLine;
        if (!line.StartsWith("HTTP/"u8))
        {
            return false;
        }

        var space = line.IndexOf((byte)' ');
        if (space < 0)
        {
            return false;
        }

        var rest = line[(space + 1)..].TrimStart((byte)' ');
        if (rest.Length < 3 || !Utf8Parser.TryParse(rest[..3], out statusCode, out var consumed) || consumed != 3
            || statusCode < 100 || statusCode > 999)
        {
            return false;
        }

        reason = rest[3..].Trim((byte)' ');
        return true;
    }

    /// <summary>Reads a request line: <c>GET /path HTTP/1.1</c>.</summary>
    /// <param name="method">The method.</param>
    /// <param name="target">The request target.</param>
    /// <param name="version">The HTTP version.</param>
    /// <returns><see langword="false"/> when the line does not have three parts.</returns>
    public bool TryReadRequestLine(out ReadOnlySpan<byte> method, out ReadOnlySpan<byte> target, out ReadOnlySpan<byte> version)
    {
        method = target = version = default;
        var line = StartLine;
        var first = line.IndexOf((byte)' ');
        var last = line.LastIndexOf((byte)' ');
        if (first <= 0 || last <= first)
        {
            return false;
        }

        method = line[..first];
        target = line[(first + 1)..last].Trim((byte)' ');
        version = line[(last + 1)..];
        return version.StartsWith("HTTP/"u8);
    }

    /// <summary>Looks up a header, ignoring ASCII case; the first occurrence wins.</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The trimmed value.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool TryGetHeader(ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var rest = HeaderLines;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && Ascii.EqualsIgnoreCase(line[..colon].Trim(" \t"u8), name))
            {
                value = line[(colon + 1)..].Trim(" \t\r"u8);
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The header lines as (name, value) pairs, decoded; for documents that keep all headers.</summary>
    /// <returns>The headers in order.</returns>
    public List<KeyValuePair<string, string>> DecodeHeaders() => DecodeHeaderLines(HeaderLines);

    /// <summary>The header lines as a list that decodes them on first use (see <see cref="HttpHeaderList"/>).</summary>
    /// <returns>The headers in order.</returns>
    public HttpHeaderList CopyHeaders() => new(HeaderLines);

    internal static List<KeyValuePair<string, string>> DecodeHeaderLines(ReadOnlySpan<byte> headerLines)
    {
        var headers = new List<KeyValuePair<string, string>>();
        var rest = headerLines;
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? default : rest[(end + 1)..];
            var colon = line.IndexOf((byte)':');
            if (colon > 0)
            {
                headers.Add(new(WarcFieldValue.ToText(line[..colon].Trim(" \t"u8)), WarcFieldValue.ToText(line[(colon + 1)..].Trim(" \t\r"u8))));
            }
        }

        return headers;
    }

    /// <summary>The <c>charset</c> parameter of a Content-Type value, lower-cased; null when absent.</summary>
    /// <param name="contentType">A Content-Type value, e.g. <c>text/html; charset=UTF-8</c>.</param>
    /// <returns>The charset, or null.</returns>
    public static string? CharsetOf(string? contentType)
    {
        if (contentType is null)
        {
            return null;
        }

        var index = contentType.IndexOf("charset=", StringComparison.OrdinalIgnoreCase);
        if (index < 0)
        {
            return null;
        }

        var value = contentType.AsSpan(index + "charset=".Length).Trim();
        var end = value.IndexOfAny(';', ' ', ',');
        if (end >= 0)
        {
            value = value[..end];
        }

        value = value.Trim("\"' ");
        return value.IsEmpty ? null : value.ToString().ToLowerInvariant();
    }

    /// <summary>The encoding for a charset name: UTF-8 unless it names Latin-1 / Windows-1252 or ASCII.</summary>
    /// <param name="charset">A charset name, or null.</param>
    /// <returns>The encoding to decode HTML values with.</returns>
    public static Encoding EncodingOf(string? charset) => charset switch
    {
        // .NET Core ships only Unicode, ASCII and Latin-1 encodings without a provider; windows-1252 differs from
        // Latin-1 only in 0x80-0x9F, which is good enough for titles and descriptions.
        "iso-8859-1" or "latin1" or "windows-1252" or "cp1252" => Encoding.Latin1,
        _ => Encoding.UTF8,
    };
}

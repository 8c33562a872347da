using System.Text.Json;
using LetsData.Plugins.Samples.Warc;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The state-machine parser of Common Crawl WARC files (file type <c>WARC</c>): <c>warcinfo</c>, then
/// <c>request → response → metadata</c> per URL, as <see cref="WarcInfoRecord"/>, <see cref="WarcRequestRecord"/>,
/// <see cref="WarcResponseRecord"/> and <see cref="WarcMetadataRecord"/> documents.
/// </summary>
/// <remarks>
/// Payload errors (an HTTP head without a blank line, a bad request or status line, a <c>languages-cld2</c> value
/// that is not JSON) become error documents; the HTML of a response is scanned tolerantly and never fails.
/// See <see cref="CommonCrawlFileParser"/> for delimiters and error handling.
/// </remarks>
public sealed class WarcFileParser : CommonCrawlFileParser
{
    /// <summary>The file type this parser reads.</summary>
    public const string FileType = "WARC";

    private static readonly RecordTypeCycle WarcCycle = new(FileType, 1, CommonCrawlRecordTypes.WarcInfo,
        CommonCrawlRecordTypes.WarcRequest, CommonCrawlRecordTypes.WarcResponse, CommonCrawlRecordTypes.WarcMetadata);

    /// <summary>Creates the parser.</summary>
    public WarcFileParser()
        : base(FileType, CommonCrawlRecordTypes.WarcError, WarcCycle)
    {
    }

    private protected override CommonCrawlRecord ParsePayload(string expectedRecordType, CommonCrawlHeader header,
        WarcHeaderBlock block, ReadOnlySpan<byte> payload) => expectedRecordType switch
    {
        CommonCrawlRecordTypes.WarcInfo => new WarcInfoRecord(header, expectedRecordType, ReadFields(payload)),
        CommonCrawlRecordTypes.WarcRequest => ParseRequest(header, payload),
        CommonCrawlRecordTypes.WarcResponse => ParseResponse(header, block, payload),
        _ => ParseMetadata(header, payload),
    };

    private static WarcRequestRecord ParseRequest(CommonCrawlHeader header, ReadOnlySpan<byte> payload)
    {
        if (!HttpHead.TryRead(payload, out var head))
        {
            throw new FormatException("the HTTP request has no blank line ending its head");
        }

        if (!head.TryReadRequestLine(out var method, out var target, out var version))
        {
            throw new FormatException($"'{WarcFieldValue.Quote(head.StartLine)}' is not an HTTP request line");
        }

        return new WarcRequestRecord(header, WarcFieldValue.ToText(method), WarcFieldValue.ToText(target),
            WarcFieldValue.ToText(version), head.CopyHeaders());
    }

    private static WarcResponseRecord ParseResponse(CommonCrawlHeader header, WarcHeaderBlock block, ReadOnlySpan<byte> payload)
    {
        if (!HttpHead.TryRead(payload, out var head))
        {
            throw new FormatException("the HTTP response has no blank line ending its head");
        }

        if (!head.TryReadStatusLine(out var status, out var reason))
        {
            throw new FormatException($"'{WarcFieldValue.Quote(head.StartLine)}' is not an HTTP status line");
        }

        string? contentType = head.TryGetHeader("Content-Type"u8, out var value) ? WarcFieldValue.ToText(value) : null;
        string? identified = block.TryGetValue("WARC-Identified-Payload-Type", out value) ? WarcFieldValue.ToText(value) : null;
        string? digest = block.TryGetValue("WARC-Payload-Digest", out value) ? WarcFieldValue.ToText(value) : null;
        var charset = HttpHead.CharsetOf(contentType);
        var body = payload[head.BodyStart..];
        var html = HtmlMetadata.Empty;
        if (LooksLikeHtml(contentType, identified, body))
        {
            html = HtmlHeadScanner.Scan(body, HttpHead.EncodingOf(charset));
            if (charset is null && html.MetaCharset is { } metaCharset)
            {
                charset = metaCharset.ToLowerInvariant();
            }
        }

        return new WarcResponseRecord(header, status, WarcFieldValue.ToText(reason), head.CopyHeaders(), contentType, charset,
            digest, identified, body.Length, html);
    }

    private static bool LooksLikeHtml(string? contentType, string? identified, ReadOnlySpan<byte> body)
    {
        if (identified is not null)
        {
            return identified.Contains("html", StringComparison.OrdinalIgnoreCase);
        }

        if (contentType is not null)
        {
            return contentType.Contains("html", StringComparison.OrdinalIgnoreCase);
        }

        var start = body.TrimStart(" \t\r\n"u8);
        return !start.IsEmpty && start[0] == (byte)'<';
    }

    private static WarcMetadataRecord ParseMetadata(CommonCrawlHeader header, ReadOnlySpan<byte> payload)
    {
        var fields = ReadFields(payload);
        long? fetchTime = null, textBytes = null;
        bool? reliable = null;
        string? charset = null;
        var languages = new List<string>();
        foreach (var (name, value) in fields)
        {
            switch (name)
            {
                case "fetchTimeMs":
                    fetchTime = long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var ms)
                        ? ms
                        : throw new FormatException($"fetchTimeMs '{value}' is not a number");
                    break;
                case "charset-detected":
                    charset = value;
                    break;
                case "languages-cld2":
                    using (var json = JsonDocument.Parse(value))
                    {
                        var root = json.RootElement;
                        if (root.TryGetProperty("reliable", out var r) && r.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        {
                            reliable = r.GetBoolean();
                        }

                        if (root.TryGetProperty("text-bytes", out var t) && t.ValueKind == JsonValueKind.Number)
                        {
                            textBytes = t.GetInt64();
                        }

                        if (root.TryGetProperty("languages", out var list) && list.ValueKind == JsonValueKind.Array)
                        {
                            foreach (var language in list.EnumerateArray())
                            {
                                var code = language.TryGetProperty("code-iso-639-3", out var c3) ? c3.GetString()
                                    : language.TryGetProperty("code", out var c) ? c.GetString() : null;
                                if (code is not null)
                                {
                                    languages.Add(code);
                                }
                            }
                        }
                    }

                    break;
            }
        }

        return new WarcMetadataRecord(header, fetchTime, charset, languages, reliable, textBytes, fields);
    }
}

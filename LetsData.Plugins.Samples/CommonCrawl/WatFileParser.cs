using System.Globalization;
using System.Text.Json;
using LetsData.Plugins.Samples.Warc;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The state-machine parser of Common Crawl WAT files (file type <c>WAT</c>): <c>warcinfo</c>, the metadata of the
/// WARC file's warcinfo, then the metadata of each URL's <c>request → response → metadata</c> WARC records, as
/// <see cref="WarcInfoRecord"/> and <see cref="WatMetadataRecord"/> documents.
/// </summary>
/// <remarks>
/// Every WAT metadata record starts with the same two lines, so which WARC record one describes is read from its JSON
/// envelope (<c>Envelope.WARC-Header-Metadata.WARC-Type</c>), not assumed from its position: a WAT file without the
/// warcinfo metadata record (like the cut-down whirlwind sample) still parses, and the next expected type follows
/// the record actually read. A payload that is not JSON, or has no envelope, becomes an error document.
/// </remarks>
public sealed class WatFileParser : CommonCrawlFileParser
{
    /// <summary>The file type this parser reads.</summary>
    public const string FileType = "WAT";

    private static readonly RecordTypeCycle WatCycle = new(FileType, 2, CommonCrawlRecordTypes.WatInfo,
        CommonCrawlRecordTypes.WatWarcInfoMetadata, CommonCrawlRecordTypes.WatRequestMetadata,
        CommonCrawlRecordTypes.WatResponseMetadata, CommonCrawlRecordTypes.WatMetadataMetadata);

    /// <summary>Creates the parser.</summary>
    public WatFileParser()
        : base(FileType, CommonCrawlRecordTypes.WatError, WatCycle)
    {
    }

    private protected override CommonCrawlRecord ParsePayload(string expectedRecordType, CommonCrawlHeader header,
        WarcHeaderBlock block, ReadOnlySpan<byte> payload)
    {
        if (expectedRecordType == CommonCrawlRecordTypes.WatInfo)
        {
            return new WarcInfoRecord(header, expectedRecordType, ReadFields(payload));
        }

        using var json = JsonDocument.Parse(payload.ToArray());
        if (!json.RootElement.TryGetProperty("Envelope", out var envelope) || envelope.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the WAT JSON has no Envelope object");
        }

        var described = envelope.TryGetProperty("WARC-Header-Metadata", out var warcHeader)
                        && warcHeader.TryGetProperty("WARC-Type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()!
            : throw new FormatException("the WAT JSON has no Envelope.WARC-Header-Metadata.WARC-Type");
        var recordType = described switch
        {
            "warcinfo" => CommonCrawlRecordTypes.WatWarcInfoMetadata,
            "request" => CommonCrawlRecordTypes.WatRequestMetadata,
            "response" => CommonCrawlRecordTypes.WatResponseMetadata,
            "metadata" => CommonCrawlRecordTypes.WatMetadataMetadata,
            _ => throw new FormatException($"the WAT record describes a WARC '{described}' record, which the state machine has no place for"),
        };
        string? actualContentType = null, httpContentType = null;
        int? status = null;
        var html = HtmlMetadata.Empty;
        if (envelope.TryGetProperty("Payload-Metadata", out var payloadMetadata) && payloadMetadata.ValueKind == JsonValueKind.Object)
        {
            actualContentType = StringOf(payloadMetadata, "Actual-Content-Type");
            if (recordType == CommonCrawlRecordTypes.WatResponseMetadata
                && payloadMetadata.TryGetProperty("HTTP-Response-Metadata", out var response) && response.ValueKind == JsonValueKind.Object)
            {
                if (response.TryGetProperty("Response-Message", out var message) && message.ValueKind == JsonValueKind.Object)
                {
                    var statusText = StringOf(message, "Status");
                    status = int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
                }

                if (response.TryGetProperty("Headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in headers.EnumerateObject())
                    {
                        if (property.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
                        {
                            httpContentType = property.Value.GetString();
                            break;
                        }
                    }
                }

                if (response.TryGetProperty("HTML-Metadata", out var htmlMetadata) && htmlMetadata.ValueKind == JsonValueKind.Object)
                {
                    html = ReadHtmlMetadata(htmlMetadata);
                }
            }
        }

        return new WatMetadataRecord(header, recordType, described, actualContentType, status, httpContentType, html);
    }

    private static HtmlMetadata ReadHtmlMetadata(JsonElement htmlMetadata)
    {
        var html = new HtmlMetadata();
        if (!htmlMetadata.TryGetProperty("Head", out var head) || head.ValueKind != JsonValueKind.Object)
        {
            return html;
        }

        html.Title = StringOf(head, "Title")?.Trim();
        if (head.TryGetProperty("Metas", out var metas) && metas.ValueKind == JsonValueKind.Array)
        {
            foreach (var meta in metas.EnumerateArray())
            {
                if (meta.ValueKind != JsonValueKind.Object || StringOf(meta, "content") is not { } content)
                {
                    continue;
                }

                var name = StringOf(meta, "name");
                var property = StringOf(meta, "property") ?? name;
                if (string.Equals(name, "description", StringComparison.OrdinalIgnoreCase))
                {
                    html.Description ??= content.Trim();
                }
                else if (string.Equals(name, "keywords", StringComparison.OrdinalIgnoreCase))
                {
                    html.Keywords ??= content.Trim();
                }

                if (property is not null && property.StartsWith("og:", StringComparison.OrdinalIgnoreCase))
                {
                    html.AddOpenGraph(property.ToLowerInvariant(), content.Trim());
                }
            }
        }

        if (head.TryGetProperty("Link", out var links) && links.ValueKind == JsonValueKind.Array)
        {
            foreach (var link in links.EnumerateArray())
            {
                if (link.ValueKind != JsonValueKind.Object || StringOf(link, "url") is not { } url)
                {
                    continue;
                }

                var rel = StringOf(link, "rel");
                if (string.Equals(rel, "canonical", StringComparison.OrdinalIgnoreCase))
                {
                    html.Canonical ??= url;
                }
                else if (string.Equals(rel, "icon", StringComparison.OrdinalIgnoreCase) || string.Equals(rel, "shortcut icon", StringComparison.OrdinalIgnoreCase))
                {
                    html.Icon ??= url;
                }
            }
        }

        return html;
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

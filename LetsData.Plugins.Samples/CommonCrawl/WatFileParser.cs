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

        // One forward pass of a Utf8JsonReader over the payload in place: no copy of the payload, no DOM, strings
        // only for the few values kept. The pass reads to the end, so JSON that is invalid anywhere still fails.
        var reader = new Utf8JsonReader(payload);
        var fields = new WatFields();
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("the WAT JSON has no Envelope object");
        }

        var hasEnvelope = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isEnvelope = reader.ValueTextEquals("Envelope"u8);
            reader.Read();
            if (isEnvelope && reader.TokenType == JsonTokenType.StartObject)
            {
                hasEnvelope = true;
                ReadEnvelope(ref reader, fields);
            }
            else
            {
                reader.Skip();
            }
        }

        if (reader.Read())
        {
            throw new FormatException("the WAT JSON has data after its root object");
        }

        if (!hasEnvelope)
        {
            throw new FormatException("the WAT JSON has no Envelope object");
        }

        var described = fields.Described ?? throw new FormatException("the WAT JSON has no Envelope.WARC-Header-Metadata.WARC-Type");
        var recordType = described switch
        {
            "warcinfo" => CommonCrawlRecordTypes.WatWarcInfoMetadata,
            "request" => CommonCrawlRecordTypes.WatRequestMetadata,
            "response" => CommonCrawlRecordTypes.WatResponseMetadata,
            "metadata" => CommonCrawlRecordTypes.WatMetadataMetadata,
            _ => throw new FormatException($"the WAT record describes a WARC '{described}' record, which the state machine has no place for"),
        };

        // The HTTP response facts count for response metadata only (the envelope may name its type after them).
        var isResponse = recordType == CommonCrawlRecordTypes.WatResponseMetadata;
        return new WatMetadataRecord(header, recordType, described, fields.ActualContentType,
            isResponse ? fields.Status : null, isResponse ? fields.HttpContentType : null,
            isResponse ? fields.Html ?? HtmlMetadata.Empty : HtmlMetadata.Empty);
    }

    /// <summary>What the parser keeps of a WAT JSON envelope.</summary>
    private sealed class WatFields
    {
        public string? Described;
        public string? ActualContentType;
        public int? Status;
        public string? HttpContentType;
        public HtmlMetadata? Html;
    }

    private static void ReadEnvelope(ref Utf8JsonReader reader, WatFields fields)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("WARC-Header-Metadata"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isType = reader.ValueTextEquals("WARC-Type"u8);
                    reader.Read();
                    if (isType && reader.TokenType == JsonTokenType.String)
                    {
                        fields.Described = reader.GetString();
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else if (reader.ValueTextEquals("Payload-Metadata"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadPayloadMetadata(ref reader, fields);
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadPayloadMetadata(ref Utf8JsonReader reader, WatFields fields)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Actual-Content-Type"u8))
            {
                fields.ActualContentType = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals("HTTP-Response-Metadata"u8) && ReadObjectStart(ref reader))
            {
                ReadResponseMetadata(ref reader, fields);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadResponseMetadata(ref Utf8JsonReader reader, WatFields fields)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Response-Message"u8) && ReadObjectStart(ref reader))
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("Status"u8))
                    {
                        var statusText = ReadString(ref reader);
                        fields.Status = int.TryParse(statusText, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? code : null;
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("Headers"u8) && ReadObjectStart(ref reader))
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    // The first Content-Type with a string value, whatever the case of its name.
                    var isContentType = fields.HttpContentType is null
                        && reader.GetString()!.Equals("Content-Type", StringComparison.OrdinalIgnoreCase);
                    if (isContentType)
                    {
                        fields.HttpContentType = ReadString(ref reader);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else if (reader.ValueTextEquals("HTML-Metadata"u8) && ReadObjectStart(ref reader))
            {
                fields.Html = new HtmlMetadata();
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("Head"u8) && ReadObjectStart(ref reader))
                    {
                        ReadHead(ref reader, fields.Html);
                    }
                    else
                    {
                        SkipValue(ref reader);
                    }
                }
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    private static void ReadHead(ref Utf8JsonReader reader, HtmlMetadata html)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Title"u8))
            {
                html.Title = ReadString(ref reader)?.Trim();
            }
            else if (reader.ValueTextEquals("Metas"u8) && ReadArrayStart(ref reader))
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    string? name = null, property = null, content = null;
                    ReadStringProperties(ref reader, "name"u8, ref name, "property"u8, ref property, "content"u8, ref content);
                    if (content is null)
                    {
                        continue;
                    }

                    property ??= name;
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
            else if (reader.ValueTextEquals("Link"u8) && ReadArrayStart(ref reader))
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    string? url = null, rel = null, unused = null;
                    ReadStringProperties(ref reader, "url"u8, ref url, "rel"u8, ref rel, default, ref unused);
                    if (url is null)
                    {
                        continue;
                    }

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
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    /// <summary>At an array element: reads up to three string properties of it when it is an object; skips it otherwise.</summary>
    private static void ReadStringProperties(ref Utf8JsonReader reader, ReadOnlySpan<byte> name1, ref string? value1,
        ReadOnlySpan<byte> name2, ref string? value2, ReadOnlySpan<byte> name3, ref string? value3)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name1))
            {
                value1 = ReadString(ref reader);
            }
            else if (reader.ValueTextEquals(name2))
            {
                value2 = ReadString(ref reader);
            }
            else if (!name3.IsEmpty && reader.ValueTextEquals(name3))
            {
                value3 = ReadString(ref reader);
            }
            else
            {
                SkipValue(ref reader);
            }
        }
    }

    /// <summary>
    /// Skips the value of the property the reader is at. After a name matched but its value had the wrong kind, the
    /// value was skipped already (the reader is then at a value token, never at a property name) and nothing is done.
    /// </summary>
    private static void SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
            reader.Skip();
        }
    }

    /// <summary>At a property name: moves to its value and returns it when it is a string, else skips it and returns null.</summary>
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    /// <summary>At a property name: moves to its value; true when it is an object (reader at its start), else skips it.</summary>
    private static bool ReadObjectStart(ref Utf8JsonReader reader) => ReadStart(ref reader, JsonTokenType.StartObject);

    private static bool ReadArrayStart(ref Utf8JsonReader reader) => ReadStart(ref reader, JsonTokenType.StartArray);

    private static bool ReadStart(ref Utf8JsonReader reader, JsonTokenType start)
    {
        reader.Read();
        if (reader.TokenType == start)
        {
            return true;
        }

        reader.Skip();
        return false;
    }
}

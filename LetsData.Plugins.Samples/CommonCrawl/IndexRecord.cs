using System.Buffers;
using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The document <see cref="CommonCrawlReader"/> writes for each crawled URL: the page's HTML metadata (from the WAT
/// response metadata, falling back to the WARC response's own head), content type and charset (WARC response), the
/// language identification (WARC metadata) and the extracted text (WET conversion).
/// </summary>
/// <remarks>documentId = partitionKey = the URL (Base64 MD5 of it beyond 256 characters); record type <c>"IndexRecord"</c>.
/// Serialized as one JSON object with the field names of the Java example's IndexRecord.</remarks>
public sealed class IndexRecord : ISingleDoc, IUtf8SerializableDocument
{
    /// <summary>The record type of index records.</summary>
    public const string RecordTypeName = "IndexRecord";

    /// <summary>Creates an index record for a URL; set the other properties with an object initializer.</summary>
    /// <param name="url">The crawled URL.</param>
    public IndexRecord(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        Url = url;
    }

    /// <summary>The crawled URL.</summary>
    public string Url { get; }

    /// <summary>The page title.</summary>
    public string? Title { get; init; }

    /// <summary>The meta description.</summary>
    public string? Description { get; init; }

    /// <summary>The meta keywords.</summary>
    public string? Keywords { get; init; }

    /// <summary>The icon link.</summary>
    public string? Icon { get; init; }

    /// <summary>The canonical link.</summary>
    public string? Canonical { get; init; }

    /// <summary>og:url.</summary>
    public string? OgUrl { get; init; }

    /// <summary>og:site_name.</summary>
    public string? OgSiteName { get; init; }

    /// <summary>og:type.</summary>
    public string? OgType { get; init; }

    /// <summary>og:image (the first one).</summary>
    public string? OgImage { get; init; }

    /// <summary>og:title.</summary>
    public string? OgTitle { get; init; }

    /// <summary>og:description.</summary>
    public string? OgDescription { get; init; }

    /// <summary>The HTTP Content-Type of the response.</summary>
    public string? ContentType { get; init; }

    /// <summary>The page charset (HTTP header, HTML meta, or the crawler's detection).</summary>
    public string? Charset { get; init; }

    /// <summary>Whether the language identification is reliable.</summary>
    public bool? Reliable { get; init; }

    /// <summary>The text bytes the language identification looked at.</summary>
    public long? TextBytes { get; init; }

    /// <summary>The identified languages, best first.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>The length of <see cref="DocText"/> in UTF-8 bytes (the WET record's Content-Length).</summary>
    public long DocTextContentLength { get; init; }

    /// <summary>The extracted text of the page (decoded on first use when the record was built from UTF-8 text).</summary>
    public string? DocText
    {
        get => _docText ??= _docTextUtf8 is { } utf8 ? Encoding.UTF8.GetString(utf8.Span) : null;
        init => _docText = value;
    }

    /// <summary>
    /// The extracted text of the page as UTF-8, as the WET file holds it: <see cref="Serialize"/> writes it without
    /// decoding it to a string first; invalid sequences decode to U+FFFD, as in <see cref="DocText"/>. Null when only
    /// <see cref="DocText"/> was set.
    /// </summary>
    public ReadOnlyMemory<byte>? DocTextUtf8
    {
        get => _docTextUtf8;
        init => _docTextUtf8 = value;
    }

    private string? _docText;
    private readonly ReadOnlyMemory<byte>? _docTextUtf8;

    /// <inheritdoc/>
    public string? DocumentId => PartitionKey;

    /// <inheritdoc/>
    public string? RecordType => RecordTypeName;

    /// <inheritdoc/>
    public string? PartitionKey => CommonCrawlRecord.PartitionKeyOf(Url);

    /// <inheritdoc/>
    public bool IsSingleDoc => true;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;

    /// <inheritdoc/>
    public string? Serialize() => CommonCrawlJson.Write(this, WriteJson);

    /// <inheritdoc/>
    public bool TrySerializeUtf8(IBufferWriter<byte> output)
    {
        CommonCrawlJson.WriteUtf8(output, this, WriteJson);
        return true;
    }

    private static void WriteJson(Utf8JsonWriter writer, IndexRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("documentId", record.DocumentId);
        writer.WriteString("recordType", record.RecordType);
        writer.WriteString("partitionKey", record.PartitionKey);
        writer.WriteString("url", record.Url);
        writer.WriteString("title", record.Title);
        writer.WriteString("description", record.Description);
        writer.WriteString("keywords", record.Keywords);
        writer.WriteString("icon", record.Icon);
        writer.WriteString("canonical", record.Canonical);
        writer.WriteString("og_url", record.OgUrl);
        writer.WriteString("og_site_name", record.OgSiteName);
        writer.WriteString("og_type", record.OgType);
        writer.WriteString("og_image", record.OgImage);
        writer.WriteString("og_title", record.OgTitle);
        writer.WriteString("og_description", record.OgDescription);
        writer.WriteString("contentType", record.ContentType);
        writer.WriteString("charset", record.Charset);
        if (record.Reliable is { } reliable)
        {
            writer.WriteBoolean("reliable", reliable);
        }
        else
        {
            writer.WriteNull("reliable");
        }

        WarcMetadataRecord.WriteNullable(writer, "textBytes", record.TextBytes);
        writer.WriteStartArray("languages");
        foreach (var language in record.Languages)
        {
            writer.WriteStringValue(language);
        }

        writer.WriteEndArray();
        writer.WriteNumber("docTextContentLength", record.DocTextContentLength);
        if (record.DocTextUtf8 is { } utf8)
        {
            writer.WritePropertyName("docText");
            CommonCrawlJson.WriteLongString(writer, utf8.Span);
        }
        else
        {
            writer.WriteString("docText", record.DocText);
        }

        writer.WriteEndObject();
    }

    /// <summary>Joins one URL's parts into an index record.</summary>
    /// <param name="watResponse">The WAT metadata of the response (HTML metadata first choice).</param>
    /// <param name="response">The WARC response.</param>
    /// <param name="metadata">The WARC metadata.</param>
    /// <param name="conversion">The WET conversion.</param>
    /// <returns>The index record.</returns>
    public static IndexRecord From(WatMetadataRecord watResponse, WarcResponseRecord response, WarcMetadataRecord metadata,
        WetConversionRecord conversion)
    {
        ArgumentNullException.ThrowIfNull(watResponse);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(conversion);
        var wat = watResponse.Html;
        var page = response.Html;
        return new IndexRecord(response.TargetUri ?? watResponse.TargetUri ?? conversion.TargetUri!)
        {
            Title = wat.Title ?? page.Title,
            Description = wat.Description ?? page.Description,
            Keywords = wat.Keywords ?? page.Keywords,
            Icon = wat.Icon ?? page.Icon,
            Canonical = wat.Canonical ?? page.Canonical,
            OgUrl = Og("og:url"),
            OgSiteName = Og("og:site_name"),
            OgType = Og("og:type"),
            OgImage = Og("og:image"),
            OgTitle = Og("og:title"),
            OgDescription = Og("og:description"),
            ContentType = response.ContentType ?? watResponse.HttpContentType,
            Charset = response.Charset ?? metadata.CharsetDetected?.ToLowerInvariant(),
            Reliable = metadata.Reliable,
            TextBytes = metadata.TextBytes,
            Languages = metadata.Languages.Count > 0 || conversion.Language is null
                ? metadata.Languages
                : conversion.Language.Split(','),
            DocTextContentLength = conversion.TextBytes,
            DocTextUtf8 = conversion.TextUtf8,
        };

        string? Og(string property) => wat.OpenGraphValue(property) ?? page.OpenGraphValue(property);
    }
}

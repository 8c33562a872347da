using System.Text;
using System.Text.Json;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>A <c>warcinfo</c> record of any of the three files: the <c>name: value</c> fields of its payload.</summary>
public sealed class WarcInfoRecord : CommonCrawlRecord
{
    /// <summary>Creates the document.</summary>
    /// <param name="header">The header values.</param>
    /// <param name="recordType">The record type (warcinfo of WARC, WAT or WET).</param>
    /// <param name="fields">The payload fields.</param>
    public WarcInfoRecord(CommonCrawlHeader header, string recordType, IReadOnlyList<KeyValuePair<string, string>> fields)
        : base(header, recordType) => Fields = fields;

    /// <summary>The payload's <c>name: value</c> lines (isPartOf, publisher, software, ...), in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <inheritdoc/>
    protected override void WriteFields(Utf8JsonWriter writer) => WritePairs(writer, "fields", Fields);

    internal static void WritePairs(Utf8JsonWriter writer, string name, IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        writer.WriteStartArray(name);
        foreach (var (key, value) in pairs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", key);
            writer.WriteString("value", value);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

/// <summary>A WARC <c>request</c> record: the HTTP request line and headers.</summary>
public sealed class WarcRequestRecord : CommonCrawlRecord
{
    /// <summary>Creates the document.</summary>
    /// <param name="header">The header values.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="requestTarget">The request target (path and query).</param>
    /// <param name="httpVersion">The HTTP version, e.g. <c>HTTP/1.1</c>.</param>
    /// <param name="headers">The HTTP request headers, in order.</param>
    public WarcRequestRecord(CommonCrawlHeader header, string method, string requestTarget, string httpVersion,
        IReadOnlyList<KeyValuePair<string, string>> headers)
        : base(header, CommonCrawlRecordTypes.WarcRequest)
    {
        Method = method;
        RequestTarget = requestTarget;
        HttpVersion = httpVersion;
        Headers = headers;
    }

    /// <summary>The HTTP method, e.g. <c>GET</c>.</summary>
    public string Method { get; }

    /// <summary>The request target, e.g. <c>/wiki/Escopete</c>.</summary>
    public string RequestTarget { get; }

    /// <summary>The HTTP version of the request line.</summary>
    public string HttpVersion { get; }

    /// <summary>The request headers, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <inheritdoc/>
    protected override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("method", Method);
        writer.WriteString("requestTarget", RequestTarget);
        writer.WriteString("httpVersion", HttpVersion);
        WarcInfoRecord.WritePairs(writer, "headers", Headers);
    }
}

/// <summary>A WARC <c>response</c> record: HTTP status and headers, body facts, and the HTML head metadata of the body.</summary>
public sealed class WarcResponseRecord : CommonCrawlRecord
{
    /// <summary>Creates the document.</summary>
    /// <param name="header">The header values.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="reasonPhrase">The reason phrase.</param>
    /// <param name="headers">The HTTP response headers, in order.</param>
    /// <param name="contentType">The HTTP Content-Type, or null.</param>
    /// <param name="charset">The charset from the Content-Type or the HTML meta, or null.</param>
    /// <param name="payloadDigest">The <c>WARC-Payload-Digest</c>, or null.</param>
    /// <param name="identifiedPayloadType">The <c>WARC-Identified-Payload-Type</c>, or null.</param>
    /// <param name="bodyLength">The body length in bytes (payload minus HTTP head).</param>
    /// <param name="html">The HTML head metadata (empty when the body is not HTML).</param>
    public WarcResponseRecord(CommonCrawlHeader header, int statusCode, string reasonPhrase,
        IReadOnlyList<KeyValuePair<string, string>> headers, string? contentType, string? charset, string? payloadDigest,
        string? identifiedPayloadType, long bodyLength, HtmlMetadata html)
        : base(header, CommonCrawlRecordTypes.WarcResponse)
    {
        StatusCode = statusCode;
        ReasonPhrase = reasonPhrase;
        Headers = headers;
        ContentType = contentType;
        Charset = charset;
        PayloadDigest = payloadDigest;
        IdentifiedPayloadType = identifiedPayloadType;
        BodyLength = bodyLength;
        Html = html;
    }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>The HTTP reason phrase.</summary>
    public string ReasonPhrase { get; }

    /// <summary>The HTTP response headers, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The HTTP Content-Type header, or null.</summary>
    public string? ContentType { get; }

    /// <summary>The charset (HTTP Content-Type parameter first, then HTML meta), lower-cased; or null.</summary>
    public string? Charset { get; }

    /// <summary>The <c>WARC-Payload-Digest</c>, or null.</summary>
    public string? PayloadDigest { get; }

    /// <summary>Common Crawl's <c>WARC-Identified-Payload-Type</c>, or null.</summary>
    public string? IdentifiedPayloadType { get; }

    /// <summary>The HTTP body length in bytes.</summary>
    public long BodyLength { get; }

    /// <summary>The HTML head metadata of the body.</summary>
    public HtmlMetadata Html { get; }

    /// <inheritdoc/>
    protected override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteNumber("statusCode", StatusCode);
        writer.WriteString("reasonPhrase", ReasonPhrase);
        writer.WriteString("contentType", ContentType);
        writer.WriteString("charset", Charset);
        writer.WriteString("payloadDigest", PayloadDigest);
        writer.WriteString("identifiedPayloadType", IdentifiedPayloadType);
        writer.WriteNumber("bodyLength", BodyLength);
        WarcInfoRecord.WritePairs(writer, "headers", Headers);
        Html.WriteTo(writer, "html");
    }
}

/// <summary>A WARC <c>metadata</c> record: fetch time, detected charset and the CLD2 language identification.</summary>
public sealed class WarcMetadataRecord : CommonCrawlRecord
{
    /// <summary>Creates the document.</summary>
    /// <param name="header">The header values.</param>
    /// <param name="fetchTimeMs">The <c>fetchTimeMs</c> field, or null.</param>
    /// <param name="charsetDetected">The <c>charset-detected</c> field, or null.</param>
    /// <param name="languages">The language codes of <c>languages-cld2</c> (ISO 639-3 when given), best first.</param>
    /// <param name="reliable">The <c>reliable</c> flag of <c>languages-cld2</c>, or null.</param>
    /// <param name="textBytes">The <c>text-bytes</c> of <c>languages-cld2</c>, or null.</param>
    /// <param name="fields">All <c>name: value</c> fields of the payload.</param>
    public WarcMetadataRecord(CommonCrawlHeader header, long? fetchTimeMs, string? charsetDetected, IReadOnlyList<string> languages,
        bool? reliable, long? textBytes, IReadOnlyList<KeyValuePair<string, string>> fields)
        : base(header, CommonCrawlRecordTypes.WarcMetadata)
    {
        FetchTimeMs = fetchTimeMs;
        CharsetDetected = charsetDetected;
        Languages = languages;
        Reliable = reliable;
        TextBytes = textBytes;
        Fields = fields;
    }

    /// <summary>How long the fetch took, in milliseconds; null when absent.</summary>
    public long? FetchTimeMs { get; }

    /// <summary>The charset the crawler detected; null when absent.</summary>
    public string? CharsetDetected { get; }

    /// <summary>The identified languages, best first.</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>Whether CLD2 found the identification reliable; null when absent.</summary>
    public bool? Reliable { get; }

    /// <summary>How many text bytes CLD2 looked at; null when absent.</summary>
    public long? TextBytes { get; }

    /// <summary>All payload fields, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fields { get; }

    /// <inheritdoc/>
    protected override void WriteFields(Utf8JsonWriter writer)
    {
        WriteNullable(writer, "fetchTimeMs", FetchTimeMs);
        writer.WriteString("charsetDetected", CharsetDetected);
        writer.WriteStartArray("languages");
        foreach (var language in Languages)
        {
            writer.WriteStringValue(language);
        }

        writer.WriteEndArray();
        if (Reliable is { } reliable)
        {
            writer.WriteBoolean("reliable", reliable);
        }
        else
        {
            writer.WriteNull("reliable");
        }

        WriteNullable(writer, "textBytes", TextBytes);
    }

    internal static void WriteNullable(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}

/// <summary>
/// A WAT <c>metadata</c> record: the JSON envelope describing one WARC record. <see cref="DescribedWarcType"/> says
/// which (<c>warcinfo</c>, <c>request</c>, <c>response</c>, <c>metadata</c>); for responses the HTML metadata of the
/// page is read from the envelope's <c>HTML-Metadata</c>.
/// </summary>
public sealed class WatMetadataRecord : CommonCrawlRecord
{
    /// <summary>Creates the document.</summary>
    /// <param name="header">The header values.</param>
    /// <param name="recordType">One of the WAT metadata record types.</param>
    /// <param name="describedWarcType">The WARC-Type of the described WARC record.</param>
    /// <param name="actualContentType">The envelope's <c>Actual-Content-Type</c>, or null.</param>
    /// <param name="httpStatus">The HTTP status of a described response, or null.</param>
    /// <param name="httpContentType">The HTTP Content-Type of a described response, or null.</param>
    /// <param name="html">The HTML metadata of a described response (empty otherwise).</param>
    public WatMetadataRecord(CommonCrawlHeader header, string recordType, string describedWarcType, string? actualContentType,
        int? httpStatus, string? httpContentType, HtmlMetadata html)
        : base(header, recordType)
    {
        DescribedWarcType = describedWarcType;
        ActualContentType = actualContentType;
        HttpStatus = httpStatus;
        HttpContentType = httpContentType;
        Html = html;
    }

    /// <summary>The WARC-Type of the WARC record this metadata describes.</summary>
    public string DescribedWarcType { get; }

    /// <summary>The envelope's <c>Payload-Metadata.Actual-Content-Type</c>, or null.</summary>
    public string? ActualContentType { get; }

    /// <summary>The HTTP status of a described response, or null.</summary>
    public int? HttpStatus { get; }

    /// <summary>The HTTP Content-Type header of a described response, or null.</summary>
    public string? HttpContentType { get; }

    /// <summary>The page's HTML metadata (only for responses).</summary>
    public HtmlMetadata Html { get; }

    /// <inheritdoc/>
    protected override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("describedWarcType", DescribedWarcType);
        writer.WriteString("actualContentType", ActualContentType);
        WarcMetadataRecord.WriteNullable(writer, "httpStatus", HttpStatus);
        writer.WriteString("httpContentType", HttpContentType);
        Html.WriteTo(writer, "html");
    }
}

/// <summary>A WET <c>conversion</c> record: the extracted text of a page and its identified language.</summary>
public sealed class WetConversionRecord : CommonCrawlRecord
{
    /// <summary>Creates the document from decoded text.</summary>
    /// <param name="header">The header values.</param>
    /// <param name="language">The <c>WARC-Identified-Content-Language</c>, or null.</param>
    /// <param name="text">The text (the payload, decoded as UTF-8).</param>
    /// <param name="textBytes">The text's length in bytes.</param>
    public WetConversionRecord(CommonCrawlHeader header, string? language, string text, long textBytes)
        : base(header, CommonCrawlRecordTypes.WetConversion)
    {
        ArgumentNullException.ThrowIfNull(text);
        Language = language;
        _text = text;
        TextBytes = textBytes;
    }

    /// <summary>Creates the document from the payload bytes, which are decoded only when <see cref="Text"/> is asked for.</summary>
    /// <param name="header">The header values.</param>
    /// <param name="language">The <c>WARC-Identified-Content-Language</c>, or null.</param>
    /// <param name="textUtf8">The text as UTF-8, as the payload holds it (invalid sequences decode to U+FFFD).</param>
    /// <param name="textBytes">The payload's length in bytes.</param>
    public WetConversionRecord(CommonCrawlHeader header, string? language, ReadOnlyMemory<byte> textUtf8, long textBytes)
        : base(header, CommonCrawlRecordTypes.WetConversion)
    {
        Language = language;
        _textUtf8 = textUtf8;
        TextBytes = textBytes;
    }

    private string? _text;
    private ReadOnlyMemory<byte>? _textUtf8;

    /// <summary>The identified language(s), e.g. <c>spa</c> or <c>eng,fra</c>; null when absent.</summary>
    public string? Language { get; }

    /// <summary>The extracted text.</summary>
    public string Text => _text ??= Encoding.UTF8.GetString(_textUtf8!.Value.Span);

    /// <summary>The extracted text as UTF-8, as the payload holds it (what the index record writes without decoding it).</summary>
    public ReadOnlyMemory<byte> TextUtf8 => _textUtf8 ??= Encoding.UTF8.GetBytes(_text!);

    /// <summary>The length of the payload in UTF-8 bytes.</summary>
    public long TextBytes { get; }

    /// <inheritdoc/>
    protected override void WriteFields(Utf8JsonWriter writer)
    {
        writer.WriteString("language", Language);
        writer.WriteNumber("textBytes", TextBytes);
        writer.WritePropertyName("text");
        CommonCrawlJson.WriteLongString(writer, TextUtf8.Span);
    }
}

using LetsData.Interfaces.Readers;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The record types of the three Common Crawl file types, as <c>"&lt;warcType&gt;,&lt;DocumentRecordType&gt;"</c>
/// strings (the format of the Java example), and the cycle each file's state machine follows.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>WARC: <see cref="WarcInfo"/> → (<see cref="WarcRequest"/> → <see cref="WarcResponse"/> → <see cref="WarcMetadata"/>)*</item>
/// <item>WAT: <see cref="WatInfo"/> → <see cref="WatWarcInfoMetadata"/> → (<see cref="WatRequestMetadata"/> →
/// <see cref="WatResponseMetadata"/> → <see cref="WatMetadataMetadata"/>)*</item>
/// <item>WET: <see cref="WetInfo"/> → (<see cref="WetConversion"/>)*</item>
/// </list>
/// </remarks>
public static class CommonCrawlRecordTypes
{
    /// <summary>The WARC file's <c>warcinfo</c> record.</summary>
    public const string WarcInfo = "warcinfo,WARC_WARCINFO_PAYLOAD";

    /// <summary>A WARC <c>request</c> record (the HTTP request).</summary>
    public const string WarcRequest = "request,WARC_HTTP_REQUEST_PAYLOAD";

    /// <summary>A WARC <c>response</c> record (the HTTP response).</summary>
    public const string WarcResponse = "response,WARC_HTTP_RESPONSE_PAYLOAD";

    /// <summary>A WARC <c>metadata</c> record (fetch time, charset detection, languages).</summary>
    public const string WarcMetadata = "metadata,WARC_METADATA_PAYLOAD";

    /// <summary>The WAT file's <c>warcinfo</c> record.</summary>
    public const string WatInfo = "warcinfo,WAT_WARCINFO_PAYLOAD";

    /// <summary>The WAT <c>metadata</c> record describing the WARC file's warcinfo record.</summary>
    public const string WatWarcInfoMetadata = "metadata,WAT_METADATA_WARC_WARCINFO_PAYLOAD";

    /// <summary>The WAT <c>metadata</c> record describing a WARC request record.</summary>
    public const string WatRequestMetadata = "metadata,WAT_METADATA_WARC_REQUEST_PAYLOAD";

    /// <summary>The WAT <c>metadata</c> record describing a WARC response record (holds the HTML metadata).</summary>
    public const string WatResponseMetadata = "metadata,WAT_METADATA_WARC_RESPONSE_PAYLOAD";

    /// <summary>The WAT <c>metadata</c> record describing a WARC metadata record.</summary>
    public const string WatMetadataMetadata = "metadata,WAT_METADATA_WARC_METADATA_PAYLOAD";

    /// <summary>The WET file's <c>warcinfo</c> record.</summary>
    public const string WetInfo = "warcinfo,WET_WARCINFO_PAYLOAD";

    /// <summary>A WET <c>conversion</c> record (the extracted text of one response).</summary>
    public const string WetConversion = "conversion,WET_CONVERSION_PAYLOAD";

    /// <summary>The document record type suffix of WARC error documents (<c>"response,WARC_ERROR"</c>).</summary>
    public const string WarcError = "WARC_ERROR";

    /// <summary>The document record type suffix of WAT error documents.</summary>
    public const string WatError = "WAT_ERROR";

    /// <summary>The document record type suffix of WET error documents.</summary>
    public const string WetError = "WET_ERROR";

    /// <summary>The WARC type part of a record type: <c>"response"</c> for <see cref="WarcResponse"/>.</summary>
    /// <param name="recordType">A record type of this class.</param>
    /// <returns>The text before the comma, or the whole text when it has none.</returns>
    public static string WarcTypeOf(string recordType)
    {
        var comma = recordType.IndexOf(',', StringComparison.Ordinal);
        return comma < 0 ? recordType : recordType[..comma];
    }

    /// <summary>Whether the record type is one of the file-header types a reader skips at the start of a file.</summary>
    /// <param name="recordType">A document's record type.</param>
    /// <returns><see langword="true"/> for the warcinfo types and the WAT warcinfo-metadata type.</returns>
    public static bool IsFileHeader(string? recordType) =>
        recordType is WarcInfo or WatInfo or WetInfo or WatWarcInfoMetadata;
}

/// <summary>One file type's record-type cycle: the first type, the successor of each type and the start hints.</summary>
internal sealed class RecordTypeCycle
{
    // Every Common Crawl record begins with these two lines; the WARC type picks the record.
    private const string RecordStartPrefix = "WARC/1.0\r\nWARC-Type: ";

    private readonly string _fileType;
    private readonly string[] _types;
    private readonly int _repeatFrom;
    private readonly RecordParseHint[] _startHints;

    /// <param name="fileType">The file type, for error messages.</param>
    /// <param name="repeatFrom">The index in <paramref name="types"/> where the repeating part starts.</param>
    /// <param name="types">The types in cycle order.</param>
    public RecordTypeCycle(string fileType, int repeatFrom, params string[] types)
    {
        _fileType = fileType;
        _types = types;
        _repeatFrom = repeatFrom;
        _startHints = types.Select(t => RecordParseHint.ForPattern(RecordStartPrefix + CommonCrawlRecordTypes.WarcTypeOf(t) + "\r\n")).ToArray();
    }

    /// <summary>
    /// The end hint of every record: the start of the next record, whatever its type. The Java parsers end a record at
    /// the start phrase of the next type in the cycle; when that record is missing, the record would swallow the
    /// records between. Content-Length bounds the payload either way, so the generic phrase only changes what a
    /// malformed file costs.
    /// </summary>
    public static RecordParseHint EndHint { get; } = RecordParseHint.ForPattern(RecordStartPrefix);

    public string First => _types[0];

    public string Next(string? lastProcessedRecordType)
    {
        if (lastProcessedRecordType is null)
        {
            return _types[0];
        }

        var index = IndexOf(lastProcessedRecordType);
        return index + 1 < _types.Length ? _types[index + 1] : _types[_repeatFrom];
    }

    public RecordParseHint StartHint(string expectedRecordType) => _startHints[IndexOf(expectedRecordType)];

    public bool Contains(string recordType) => Array.IndexOf(_types, recordType) >= 0;

    private int IndexOf(string recordType)
    {
        var index = Array.IndexOf(_types, recordType);
        if (index < 0)
        {
            // The runtime tracks the types the parser returned, so an unknown type is a wiring error, not bad data.
            throw new ArgumentException($"'{recordType}' is not a {_fileType} record type (expected one of {string.Join(", ", _types)})",
                nameof(recordType));
        }

        return index;
    }
}

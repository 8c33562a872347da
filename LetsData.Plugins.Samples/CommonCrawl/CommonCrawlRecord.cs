using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// Base of the typed documents the Common Crawl parsers produce: the WARC header values every record has, and JSON
/// serialization of them plus the fields of the concrete record.
/// </summary>
/// <remarks>
/// documentId = <c>WARC-Record-ID</c> + target URI (as in the Java example); partitionKey = the target URI, or the
/// Base64 MD5 of it when it is longer than 256 characters (a Kinesis partition key limit), or the record id for
/// records without a target URI (warcinfo).
/// </remarks>
public abstract class CommonCrawlRecord : ISingleDoc, IUtf8SerializableDocument
{
    private const int MaxPartitionKeyLength = 256;

    /// <summary>Creates a record from its common header values.</summary>
    /// <param name="header">The common header values.</param>
    /// <param name="recordType">The record type (one of <see cref="CommonCrawlRecordTypes"/>).</param>
    protected CommonCrawlRecord(CommonCrawlHeader header, string recordType)
    {
        ArgumentNullException.ThrowIfNull(header);
        Header = header;
        RecordType = recordType;
    }

    /// <summary>The header values of the record.</summary>
    public CommonCrawlHeader Header { get; }

    /// <summary>The <c>WARC-Target-URI</c>, or null for records that have none.</summary>
    public string? TargetUri => Header.TargetUri;

    /// <inheritdoc/>
    public string RecordType { get; }

    /// <inheritdoc/>
    public string? DocumentId => Header.RecordId + TargetUri;

    /// <inheritdoc/>
    public string? PartitionKey => PartitionKeyOf(TargetUri ?? Header.RecordId);

    /// <inheritdoc/>
    public bool IsSingleDoc => true;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;

    /// <summary>The JSON form of the record: the common header values, then the fields of the concrete type.</summary>
    /// <returns>A JSON object.</returns>
    public string Serialize() => CommonCrawlJson.Write(this, WriteJson);

    /// <inheritdoc/>
    public bool TrySerializeUtf8(IBufferWriter<byte> output)
    {
        CommonCrawlJson.WriteUtf8(output, this, WriteJson);
        return true;
    }

    private static void WriteJson(Utf8JsonWriter writer, CommonCrawlRecord record)
    {
        writer.WriteStartObject();
        writer.WriteString("documentId", record.DocumentId);
        writer.WriteString("recordType", record.RecordType);
        writer.WriteString("partitionKey", record.PartitionKey);
        record.Header.WriteTo(writer);
        record.WriteFields(writer);
        writer.WriteEndObject();
    }

    /// <summary>Writes the fields of the concrete record into the open JSON object.</summary>
    /// <param name="writer">The writer, inside the record's object.</param>
    protected abstract void WriteFields(Utf8JsonWriter writer);

    /// <summary>The partition key for a key text: the text itself, or its Base64 MD5 when it is too long.</summary>
    /// <param name="key">The key text.</param>
    /// <returns>The partition key, or null for a null key.</returns>
    public static string? PartitionKeyOf(string? key) =>
        key is null || key.Length <= MaxPartitionKeyLength
            ? key
            : Convert.ToBase64String(MD5.HashData(Encoding.UTF8.GetBytes(key)));

    /// <inheritdoc/>
    public override string ToString() => $"{RecordType} {TargetUri ?? Header.RecordId}";
}

/// <summary>The WARC header values the Common Crawl documents keep, and where the record sat in its file.</summary>
/// <param name="FileType">WARC, WAT or WET.</param>
/// <param name="WarcType">The <c>WARC-Type</c> value.</param>
/// <param name="RecordId">The <c>WARC-Record-ID</c> value, or null.</param>
/// <param name="TargetUri">The <c>WARC-Target-URI</c> value, without angle brackets, or null.</param>
/// <param name="Date">The <c>WARC-Date</c> value, or null.</param>
/// <param name="ContentType">The <c>Content-Type</c> of the record block, or null.</param>
/// <param name="ContentLength">The <c>Content-Length</c>: the payload size in bytes.</param>
/// <param name="RefersTo">The <c>WARC-Refers-To</c> or <c>WARC-Concurrent-To</c> value, or null.</param>
/// <param name="OffsetBytes">The record's offset in the decompressed file.</param>
public sealed record CommonCrawlHeader(string FileType, string WarcType, string? RecordId, string? TargetUri, string? Date,
    string? ContentType, long ContentLength, string? RefersTo, long OffsetBytes)
{
    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteString("fileType", FileType);
        writer.WriteString("warcType", WarcType);
        writer.WriteString("recordId", RecordId);
        writer.WriteString("targetUri", TargetUri);
        writer.WriteString("warcDate", Date);
        writer.WriteString("warcContentType", ContentType);
        writer.WriteNumber("contentLength", ContentLength);
        if (RefersTo is not null)
        {
            writer.WriteString("refersTo", RefersTo);
        }

        writer.WriteNumber("offsetBytes", OffsetBytes);
    }
}

/// <summary>
/// The error document of a Common Crawl record that could not be turned into a typed document. Besides the offsets and
/// the message it keeps the target URI when the header block got far enough to have one, so a reader can tell which
/// URL the error belongs to.
/// </summary>
public sealed class CommonCrawlErrorDoc : ErrorDoc
{
    /// <summary>Creates an error document.</summary>
    /// <param name="errorStartOffsetMap">fileType → start offset.</param>
    /// <param name="errorEndOffsetMap">fileType → end offset.</param>
    /// <param name="errorMessage">What went wrong.</param>
    /// <param name="recordType">The record type, e.g. <c>"response,WARC_ERROR"</c>.</param>
    /// <param name="targetUri">The URL the record is about, when known.</param>
    /// <param name="expectedRecordType">The record type the state machine expected when the record was read.</param>
    public CommonCrawlErrorDoc(IReadOnlyDictionary<string, string> errorStartOffsetMap,
        IReadOnlyDictionary<string, string> errorEndOffsetMap, string errorMessage, string recordType, string? targetUri,
        string? expectedRecordType)
        : base(errorStartOffsetMap, errorEndOffsetMap, errorMessage, targetUri, recordType,
            serialized: SerializeError(errorStartOffsetMap, errorEndOffsetMap, errorMessage, recordType, targetUri),
            partitionKey: CommonCrawlRecord.PartitionKeyOf(targetUri))
    {
        TargetUri = targetUri;
        ExpectedRecordType = expectedRecordType;
    }

    /// <summary>The URL the failed record is about, or null when it could not be read.</summary>
    public string? TargetUri { get; }

    /// <summary>The record type the file's state machine expected (one of <see cref="CommonCrawlRecordTypes"/>), or null.</summary>
    public string? ExpectedRecordType { get; }

    private static string SerializeError(IReadOnlyDictionary<string, string> start, IReadOnlyDictionary<string, string> end,
        string message, string recordType, string? targetUri)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("recordType", recordType);
            writer.WriteString("targetUri", targetUri);
            writer.WriteString("errorMessage", message);
            WriteMap(writer, "errorStartOffsetMap", start);
            WriteMap(writer, "errorEndOffsetMap", end);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteMap(Utf8JsonWriter writer, string name, IReadOnlyDictionary<string, string> map)
    {
        writer.WriteStartObject(name);
        foreach (var (key, value) in map)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
    }
}

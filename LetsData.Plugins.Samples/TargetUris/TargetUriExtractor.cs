using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.Warc;

namespace LetsData.Plugins.Samples.TargetUris;

/// <summary>
/// A minimal <see cref="ISingleFileParser"/> (the port of LetsData's TargetUriExtractor example): one
/// document per WARC <c>request</c> record, holding the record's <c>WARC-Target-URI</c>.
/// </summary>
/// <remarks>
/// <para>
/// Output: a key-value <see cref="Document"/> with documentId = partitionKey = the URI, record type
/// <c>"TargetUri"</c> and one value, <c>"targetUri"</c>. A request without a usable
/// <c>WARC-Target-URI</c> becomes an <see cref="ErrorDoc"/> whose offsets span the record.
/// </para>
/// <para>
/// Patterns: a record starts at <c>"WARC-Type: request\r\n"</c> and ends at the next
/// <c>"WARC-Type: "</c>, the type line of whatever record follows. The original example ended a request
/// at <c>"WARC-Type: response"</c>, which merges a request that is followed by something other than a
/// response (a <c>revisit</c>, a <c>metadata</c> record, another request) with everything up to the next
/// response, losing the requests in between. Records are read only up to their header block, so
/// where the record ends inside the following record does not matter. Leaving out <c>WARC/1.0</c>
/// keeps WARC/1.1 files readable; the price is that header fields written <i>before</i> the
/// <c>WARC-Type</c> line are not in the record. Every common writer (Common Crawl, Heritrix, wget,
/// warcio) puts <c>WARC-Type</c> first or right after <c>WARC-Record-ID</c>, before the target URI.
/// </para>
/// </remarks>
// [Stateless]: the class holds no state at all (patterns are immutable statics), so one shared
// instance is safe for concurrent tasks and spares a construction per task.
[Stateless]
public sealed class TargetUriExtractor : ISingleFileParser
{
    /// <summary>The file type this parser reads.</summary>
    public const string FileType = "WARC";

    /// <summary>The record type of the documents (and error documents) this parser produces.</summary>
    public const string RecordTypeName = "TargetUri";

    /// <summary>The key of the URI in the document's values.</summary>
    public const string TargetUriKey = "targetUri";

    /// <summary>The start pattern: the type line of a request record.</summary>
    public const string RequestStartPattern = "WARC-Type: request\r\n";

    /// <summary>The end pattern: the type line of the next record, whatever its type.</summary>
    public const string NextRecordPattern = "WARC-Type: ";

    private static readonly RecordParseHint StartHint = RecordParseHint.ForPattern(RequestStartPattern);
    private static readonly RecordParseHint EndHint = RecordParseHint.ForPattern(NextRecordPattern);

    /// <inheritdoc/>
    public string S3FileType => FileType;

    /// <inheritdoc/>
    public string GetResolvedS3FileName(string s3FileType, string fileName)
    {
        FileTypes.Require(FileType, s3FileType);
        return fileName;
    }

    /// <inheritdoc/>
    public RecordParseHint GetRecordStartPattern(string s3FileType)
    {
        FileTypes.Require(FileType, s3FileType);
        return StartHint;
    }

    /// <inheritdoc/>
    public RecordParseHint GetRecordEndPattern(string s3FileType)
    {
        FileTypes.Require(FileType, s3FileType);
        return EndHint;
    }

    /// <inheritdoc/>
    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes,
                                             ReadOnlySpan<byte> record)
    {
        FileTypes.Require(FileType, s3FileType);
        if (!WarcHeaderBlock.TryRead(record, out var header))
        {
            // Without the blank line the header block cannot be told apart from what follows it,
            // and a target URI found there could belong to the next record.
            return Error(offsetBytes, record, "WARC request record has no blank line (\\r\\n\\r\\n) ending its header block");
        }
        if (!header.TryGetValue(WarcFieldNames.TargetUri, out var value))
        {
            return Error(offsetBytes, record, $"WARC request record has no {WarcFieldNames.TargetUri} header");
        }
        var targetUri = WarcFieldValue.ToUri(value);
        if (targetUri.Length == 0)
        {
            return Error(offsetBytes, record, $"WARC request record has an empty {WarcFieldNames.TargetUri} header");
        }
        var document = new Document(
            documentId: targetUri,
            recordType: RecordTypeName,
            partitionKey: targetUri,
            keyValues: new Dictionary<string, object?> { [TargetUriKey] = targetUri });
        return ParseDocumentResult.Success(document);
    }

    private static ParseDocumentResult Error(long offsetBytes, ReadOnlySpan<byte> record, string message) =>
        WarcErrorDocs.ForRecord(FileType, offsetBytes, record.Length, message, RecordTypeName);
}

using System.Globalization;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.Warc;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// What the three Common Crawl parsers share: the record-type cycle, the record delimiters, the header block and
/// <c>Content-Length</c> handling, and the rule that bad data becomes an error document while the state machine goes on.
/// </summary>
/// <remarks>
/// <para>
/// Delimiters: a record starts at <c>"WARC/1.0\r\nWARC-Type: &lt;type&gt;\r\n"</c> of the expected type and ends where
/// the next record of any type starts (or at the end of the file). The payload is exactly <c>Content-Length</c> bytes
/// after the header block; what trails it (the record separator, garbage) is ignored.
/// </para>
/// <para>
/// Errors: a header block without a blank line, a missing or bad <c>Content-Length</c>, a payload shorter than
/// <c>Content-Length</c> and a payload that does not parse each give a <see cref="CommonCrawlErrorDoc"/> spanning the
/// record (offsets in the decompressed file) with record type <c>"&lt;warcType&gt;,&lt;FILE&gt;_ERROR"</c>, returned
/// with status Error and the record type that follows the expected one, so reading goes on with the next record.
/// Since the record's end is the next record's start, the boundary is always known.
/// </para>
/// </remarks>
public abstract class CommonCrawlFileParser : ISingleFileStateMachineParser
{
    private readonly string _fileType;
    private readonly string _errorSuffix;

    private protected CommonCrawlFileParser(string fileType, string errorSuffix, RecordTypeCycle cycle)
    {
        _fileType = fileType;
        _errorSuffix = errorSuffix;
        Cycle = cycle;
    }

    private protected RecordTypeCycle Cycle { get; }

    /// <inheritdoc/>
    public string S3FileType => _fileType;

    /// <inheritdoc/>
    public string GetResolvedS3FileName(string s3FileType, string fileName)
    {
        FileTypes.Require(_fileType, s3FileType);
        return fileName;
    }

    /// <inheritdoc/>
    public string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType)
    {
        FileTypes.Require(_fileType, s3FileType);
        return Cycle.Next(lastProcessedRecordType);
    }

    /// <inheritdoc/>
    public RecordParseHint GetNextRecordStartPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc)
    {
        FileTypes.Require(_fileType, s3FileType);
        return Cycle.StartHint(nextExpectedRecordType);
    }

    /// <inheritdoc/>
    public RecordParseHint GetNextRecordEndPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc)
    {
        FileTypes.Require(_fileType, s3FileType);
        return RecordTypeCycle.EndHint;
    }

    /// <inheritdoc/>
    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes,
        string? lastProcessedRecordType, IDocument? lastProcessedDoc, ReadOnlySpan<byte> record)
    {
        FileTypes.Require(_fileType, s3FileType);
        var expected = ExpectedAfter(lastProcessedRecordType, lastProcessedDoc);
        var expectedWarcType = CommonCrawlRecordTypes.WarcTypeOf(expected);
        if (!WarcHeaderBlock.TryRead(record, out var block))
        {
            return Error(offsetBytes, record, expected, null,
                $"{_fileType} {expectedWarcType} record has no blank line (\\r\\n\\r\\n) ending its header block");
        }

        string? warcType = null, recordId = null, targetUri = null, date = null, contentType = null, refersTo = null;
        ReadOnlySpan<byte> contentLengthValue = default;
        var hasContentLength = false;
        foreach (var field in block)
        {
            if (warcType is null && field.NameEquals(WarcFieldNames.Type))
            {
                warcType = WarcFieldValue.ToText(field.Value);
            }
            else if (recordId is null && field.NameEquals(WarcFieldNames.RecordId))
            {
                recordId = WarcFieldValue.ToText(field.Value);
            }
            else if (targetUri is null && field.NameEquals(WarcFieldNames.TargetUri))
            {
                targetUri = WarcFieldValue.ToUri(field.Value);
            }
            else if (date is null && field.NameEquals(WarcFieldNames.Date))
            {
                date = WarcFieldValue.ToText(field.Value);
            }
            else if (contentType is null && field.NameEquals(WarcFieldNames.ContentType))
            {
                contentType = WarcFieldValue.ToText(field.Value);
            }
            else if (!hasContentLength && field.NameEquals(WarcFieldNames.ContentLength))
            {
                contentLengthValue = field.Value;
                hasContentLength = true;
            }
            else if (refersTo is null && (field.NameEquals("WARC-Refers-To") || field.NameEquals("WARC-Concurrent-To")))
            {
                refersTo = WarcFieldValue.ToText(field.Value);
            }
        }

        if (targetUri is { Length: 0 })
        {
            targetUri = null;
        }

        if (!string.Equals(warcType, expectedWarcType, StringComparison.Ordinal))
        {
            return Error(offsetBytes, record, expected, targetUri,
                $"{_fileType} record has WARC-Type '{warcType}' where the state machine expects '{expectedWarcType}'");
        }

        if (!hasContentLength || !WarcFieldValue.TryParseLength(contentLengthValue, out var contentLength))
        {
            return Error(offsetBytes, record, expected, targetUri, hasContentLength
                ? $"{_fileType} {warcType} record has a Content-Length that is not a non-negative number: '{WarcFieldValue.Quote(contentLengthValue)}'"
                : $"{_fileType} {warcType} record has no Content-Length header");
        }

        var available = record.Length - block.PayloadStart;
        if (contentLength > available)
        {
            return Error(offsetBytes, record, expected, targetUri,
                $"{_fileType} {warcType} record is truncated: Content-Length is {contentLength} but only {available} bytes follow its header block before the next record or the end of the file");
        }

        var header = new CommonCrawlHeader(_fileType, expectedWarcType, recordId, targetUri, date, contentType, contentLength, refersTo, offsetBytes);
        CommonCrawlRecord document;
        try
        {
            document = ParsePayload(expected, header, block, record.Slice(block.PayloadStart, (int)contentLength));
        }
        // System.Text.Json reports a value it cannot read as asked (invalid UTF-8 in a string, a number where a string
        // is read) with InvalidOperationException: bad data like the rest, not a reason to fail the task.
        catch (Exception e) when (e is FormatException or JsonException or OverflowException or InvalidOperationException)
        {
            return Error(offsetBytes, record, expected, targetUri,
                $"{_fileType} {warcType} record of {targetUri ?? recordId ?? "(no target URI)"}: payload does not parse: {e.Message}");
        }

        return ParseDocumentResult.Success(document, Cycle.Next(document.RecordType));
    }

    /// <summary>Builds the typed document of one record from its payload.</summary>
    /// <param name="expectedRecordType">The record type the state machine expects.</param>
    /// <param name="header">The common header values.</param>
    /// <param name="block">The header block, for further fields.</param>
    /// <param name="payload">Exactly <c>Content-Length</c> payload bytes.</param>
    /// <returns>The document; its record type is the one the state machine continues from.</returns>
    /// <exception cref="FormatException">The payload is malformed (becomes an error document, as do the JSON reader's
    /// <see cref="JsonException"/> and <see cref="InvalidOperationException"/>).</exception>
    private protected abstract CommonCrawlRecord ParsePayload(string expectedRecordType, CommonCrawlHeader header,
        WarcHeaderBlock block, ReadOnlySpan<byte> payload);

    private string ExpectedAfter(string? lastProcessedRecordType, IDocument? lastProcessedDoc) => lastProcessedDoc switch
    {
        // A parser may have recognised a different record type than the one that was expected (WAT metadata records
        // all share one delimiter); the last document knows which, the runtime's tracked type may not.
        CommonCrawlRecord last when Cycle.Contains(last.RecordType) => Cycle.Next(last.RecordType),
        CommonCrawlErrorDoc { ExpectedRecordType: { } type } when Cycle.Contains(type) => Cycle.Next(type),
        _ => Cycle.Next(lastProcessedRecordType),
    };

    private ParseDocumentResult Error(long offsetBytes, ReadOnlySpan<byte> record, string expected, string? targetUri, string message)
    {
        var errorDoc = new CommonCrawlErrorDoc(
            new Dictionary<string, string> { [_fileType] = offsetBytes.ToString(CultureInfo.InvariantCulture) },
            new Dictionary<string, string> { [_fileType] = (offsetBytes + record.Length).ToString(CultureInfo.InvariantCulture) },
            message, CommonCrawlRecordTypes.WarcTypeOf(expected) + "," + _errorSuffix, targetUri, expected);
        return ParseDocumentResult.Error(errorDoc, Cycle.Next(expected));
    }

    /// <summary>Reads <c>name: value</c> lines (warcinfo and WARC metadata payloads).</summary>
    private protected static List<KeyValuePair<string, string>> ReadFields(ReadOnlySpan<byte> payload)
    {
        var fields = new List<KeyValuePair<string, string>>();
        while (!payload.IsEmpty)
        {
            var end = payload.IndexOf((byte)'\n');
            var line = end < 0 ? payload : payload[..end];
            payload = end < 0 ? default : payload[(end + 1)..];
            var colon = line.IndexOf((byte)':');
            if (colon > 0)
            {
                fields.Add(new(WarcFieldValue.ToText(line[..colon].Trim(" \t"u8)), WarcFieldValue.ToText(line[(colon + 1)..].Trim(" \t\r"u8))));
            }
        }

        return fields;
    }
}

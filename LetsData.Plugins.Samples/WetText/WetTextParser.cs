using System.Text;
using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.Warc;

namespace LetsData.Plugins.Samples.WetText;

/// <summary>
/// A stateless <see cref="ISingleFileParser"/> over Common Crawl WET files (the .NET counterpart of the
/// Python/JavaScript Common Crawl example): one key-value <see cref="Document"/> per page with its
/// extracted text and the WARC header values that describe it.
/// </summary>
/// <remarks>
/// <para>
/// Output: documentId = partitionKey = the page URL, record type <c>"WetText"</c>, values
/// <c>url, language, contentType, contentLength, blockDigest, warcDate, recordId, text</c> (see
/// <see cref="WetTextKeys"/>). <c>text</c> is exactly the <c>Content-Length</c> bytes after the header
/// block, decoded as UTF-8; the record separator after it is not part of the text.
/// </para>
/// <para>
/// Patterns: <c>"WARC/1.0\r\nWARC-Type: conversion\r\n"</c> both starts and ends a record, as in the
/// Java WET parser: a record runs from its own version line to the next conversion record's, or to
/// the end of the file. The file's <c>warcinfo</c> record never matches, so it is never parsed.
/// Anything that sits between two conversion records (the separator, a stray record of another type)
/// trails the payload and is ignored, because the text is bounded by <c>Content-Length</c>.
/// </para>
/// <para>
/// Bad data never throws: a header block with no blank line, a missing <c>WARC-Target-URI</c> or
/// <c>Content-Length</c>, a <c>Content-Length</c> that is not a number, and a payload shorter than
/// <c>Content-Length</c> (a truncated record) each give an <see cref="ErrorDoc"/> spanning the record,
/// and the engine goes on with the next record.
/// </para>
/// </remarks>
[Stateless]
public sealed class WetTextParser : ISingleFileParser
{
    // [Stateless] means one instance serves concurrent tasks: keep this class free of mutable fields.

    /// <summary>The file type this parser reads.</summary>
    public const string FileType = "WET";

    /// <summary>The record type of the documents (and error documents) this parser produces.</summary>
    public const string RecordTypeName = "WetText";

    /// <summary>The start and end pattern: the first two lines of a WET conversion record.</summary>
    public const string ConversionRecordPattern = "WARC/1.0\r\nWARC-Type: conversion\r\n";

    private static readonly RecordParseHint ConversionRecordHint = RecordParseHint.ForPattern(ConversionRecordPattern);

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
        return ConversionRecordHint;
    }

    /// <inheritdoc/>
    public RecordParseHint GetRecordEndPattern(string s3FileType)
    {
        FileTypes.Require(FileType, s3FileType);
        return ConversionRecordHint;
    }

    /// <inheritdoc/>
    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes,
                                             ReadOnlySpan<byte> record)
    {
        FileTypes.Require(FileType, s3FileType);
        if (!WarcHeaderBlock.TryRead(record, out var headerBlock))
        {
            return Error(offsetBytes, record, "WET conversion record has no blank line (\\r\\n\\r\\n) ending its header block");
        }
        var header = WetConversionHeader.Read(headerBlock);
        var url = header.HasTargetUri ? WarcFieldValue.ToUri(header.TargetUri) : "";
        if (url.Length == 0)
        {
            return Error(offsetBytes, record, $"WET conversion record has no {WarcFieldNames.TargetUri} header (or an empty one)");
        }
        if (!header.HasContentLength)
        {
            return Error(offsetBytes, record, $"WET conversion record has no {WarcFieldNames.ContentLength} header", url);
        }
        if (!WarcFieldValue.TryParseLength(header.ContentLength, out var contentLength))
        {
            return Error(offsetBytes, record,
                $"WET conversion record has a {WarcFieldNames.ContentLength} that is not a non-negative number: '{WarcFieldValue.Quote(header.ContentLength)}'", url);
        }
        var available = record.Length - headerBlock.PayloadStart;
        if (contentLength > available)
        {
            return Error(offsetBytes, record,
                $"WET conversion record is truncated: {WarcFieldNames.ContentLength} is {contentLength} but only {available} bytes follow the header block", url);
        }
        var text = record.Slice(headerBlock.PayloadStart, (int)contentLength);
        var keyValues = new Dictionary<string, object?>(capacity: 8)
        {
            [WetTextKeys.Url] = url,
            [WetTextKeys.Language] = TextOrNull(header.Language),
            [WetTextKeys.ContentType] = TextOrNull(header.ContentType),
            [WetTextKeys.ContentLength] = contentLength,
            [WetTextKeys.BlockDigest] = TextOrNull(header.BlockDigest),
            [WetTextKeys.WarcDate] = TextOrNull(header.Date),
            [WetTextKeys.RecordId] = TextOrNull(header.RecordId),
            [WetTextKeys.Text] = Encoding.UTF8.GetString(text),
        };
        var document = new Document(url, RecordTypeName, url, keyValues);
        return ParseDocumentResult.Success(document);
    }

    private static string? TextOrNull(ReadOnlySpan<byte> value) =>
        value.IsEmpty ? null : WarcFieldValue.ToText(value);

    private static ParseDocumentResult Error(long offsetBytes, ReadOnlySpan<byte> record, string message,
                                             string? url = null) =>
        WarcErrorDocs.ForRecord(FileType, offsetBytes, record.Length, message, RecordTypeName, url);
}

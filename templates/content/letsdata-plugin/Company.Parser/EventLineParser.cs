using System.Globalization;
using System.Text;
using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace Company.Parser;

/// <summary>
/// The record parser of <see cref="SessionReader"/>: one event a line, <c>2026-12-07T10:00:00Z login user=alice</c>,
/// record type <see cref="RecordType"/>. A line that does not parse becomes an <see cref="ErrorDoc"/>.
/// </summary>
[Stateless] // no mutable state: one shared instance serves every task
public sealed class EventLineParser : ISingleFileStateMachineParser
{
    /// <summary>The one record type of the file: a line.</summary>
    public const string RecordType = "Event";

    // A record starts where the previous one ended and runs to the end of its line (the "\n" is not part of it).
    private static readonly RecordParseHint RecordStart = RecordParseHint.ForOffset(0);
    private static readonly RecordParseHint RecordEnd = RecordParseHint.ForPattern("\n");

    /// <summary>The file type of the dataset's manifest.</summary>
    public string S3FileType => SessionReader.FileType;

    /// <inheritdoc />
    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    /// <inheritdoc />
    public string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType) => RecordType;

    /// <inheritdoc />
    public RecordParseHint GetNextRecordStartPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc) =>
        RecordStart;

    /// <inheritdoc />
    public RecordParseHint GetNextRecordEndPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc) =>
        RecordEnd;

    /// <inheritdoc />
    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes,
        string? lastProcessedRecordType, IDocument? lastProcessedDoc, ReadOnlySpan<byte> record)
    {
        var text = Encoding.UTF8.GetString(record).Trim();
        if (!EventText.TryParse(text, out var parsed))
        {
            // Where the bad record is, so that it can be found and redriven.
            var offsets = new Dictionary<string, string> { [s3FileType] = offsetBytes.ToString(CultureInfo.InvariantCulture) };
            return ParseDocumentResult.Error(new ErrorDoc(offsets, offsets, $"not '{EventText.Shape}': {text}"), RecordType);
        }

        var values = parsed.ToValues();
        values["offset"] = offsetBytes;
        return ParseDocumentResult.Success(new Document($"{s3FileName}:{offsetBytes}", RecordType, parsed.Action, values), RecordType);
    }
}

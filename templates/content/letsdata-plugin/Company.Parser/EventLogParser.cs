using System.Globalization;
using System.Text;
using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace Company.Parser;

/// <summary>
/// Parses an event log, one event a line: <c>2026-12-07T10:00:00Z login user=alice</c>. A line that does not parse
/// becomes an <see cref="ErrorDoc"/> (written to the dataset's error destination) and the task goes on.
/// </summary>
[Stateless] // no mutable state: one shared instance serves every task
public sealed class EventLogParser : ISingleFileParser
{
    // A record starts where the previous one ended and runs to the end of its line (the "\n" is not part of it).
    private static readonly RecordParseHint RecordStart = RecordParseHint.ForOffset(0);
    private static readonly RecordParseHint RecordEnd = RecordParseHint.ForPattern("\n");

    /// <summary>The file type of the dataset's manifest.</summary>
    public string S3FileType => "EVENTLOG";

    /// <inheritdoc />
    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    /// <inheritdoc />
    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordStart;

    /// <inheritdoc />
    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordEnd;

    /// <inheritdoc />
    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var text = Encoding.UTF8.GetString(record).Trim();
        if (!EventText.TryParse(text, out var parsed))
        {
            // Where the bad record is, so that it can be found and redriven.
            var offsets = new Dictionary<string, string> { [s3FileType] = offsetBytes.ToString(CultureInfo.InvariantCulture) };
            return ParseDocumentResult.Error(new ErrorDoc(offsets, offsets, $"not '{EventText.Shape}': {text}"));
        }

        var values = parsed.ToValues();
        values["file"] = s3FileName;
        values["offset"] = offsetBytes;
        return ParseDocumentResult.Success(new Document($"{s3FileName}:{offsetBytes}", "Event", parsed.Action, values));
    }
}

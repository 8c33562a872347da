using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// One document per line of <see cref="LineFiles"/> (its number and text), partitioned over a few keys so Kinesis spreads them over shards.
/// Before parsing line <c>holdAt</c> (1-based) it waits at the <see cref="RecordGate"/>, if one is given.
/// </summary>
internal sealed class GatedLineParser(RecordGate? gate = null, int holdAt = 0) : ISingleFileParser
{
    // Every line starts with "line " (see LineFiles); the newline ends it and is not part of the record.
    private static readonly RecordParseHint Start = RecordParseHint.ForPattern("line ");
    private static readonly RecordParseHint End = RecordParseHint.ForPattern("\n");
    private int _lines;

    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => Start;

    public RecordParseHint GetRecordEndPattern(string s3FileType) => End;

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        _lines++;
        if (gate is not null && _lines == holdAt)
        {
            gate.Hold();
        }

        var text = Encoding.UTF8.GetString(record);
        var values = new Dictionary<string, object?> { ["line"] = _lines, ["offset"] = offsetBytes, ["text"] = text };
        return new ParseDocumentResult(null, new Document($"line-{_lines:D6}", "Line", $"pk-{_lines % 7}", values), ParseDocumentResultStatus.Success);
    }
}

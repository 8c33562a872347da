using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Benchmarks.Connectors;

/// <summary>
/// The connector measurement's parser: one small key-value document per synthetic record, its id the record number
/// (distinct ids, so the DynamoDB table receives one item per document) and its text the record's first bytes.
/// </summary>
internal sealed class NumberedRecordParser : ISingleFileParser
{
    public const int TextBytes = 200;

    public static readonly NumberedRecordParser Instance = new();

    private static readonly RecordParseHint RecordStart = RecordParseHint.ForPattern(SyntheticRecords.StartPattern);

    public string S3FileType => TrivialParser.FileType;

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordStart;

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordStart;

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record) =>
        new(null, DocumentOf(record), ParseDocumentResultStatus.Success);

    public static Document DocumentOf(ReadOnlySpan<byte> record)
    {
        var afterPattern = record[SyntheticRecords.StartPattern.Length..];
        var number = Encoding.ASCII.GetString(afterPattern[..afterPattern.IndexOf((byte)' ')]);
        var id = $"doc-{number}";
        var text = Encoding.ASCII.GetString(record[..Math.Min(TextBytes, record.Length)]).TrimEnd('\n');
        return new Document(id, "BenchRecord", id, new Dictionary<string, object?> { ["text"] = text, ["bytes"] = record.Length });
    }
}

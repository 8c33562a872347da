using LetsData.Interfaces.Readers;

namespace LetsData.Benchmarks;

/// <summary>
/// A parser that does no work, so that a run measures the engine alone: records start at "REC " and end at the next
/// "REC " (identical start and end hints, as delimiter-only formats use), and every record yields the same cached
/// Success result. Stateless, so one instance serves every task.
/// </summary>
internal sealed class TrivialParser : ISingleFileParser
{
    public const string FileType = "BENCH";

    public static readonly TrivialParser Instance = new();

    private static readonly RecordParseHint RecordStart = RecordParseHint.ForPattern(SyntheticRecords.StartPattern);
    private static readonly ParseDocumentResult Parsed = new(null, ConstantDocument.Instance, ParseDocumentResultStatus.Success);

    private TrivialParser()
    {
    }

    public string S3FileType => FileType;

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordStart;

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordStart;

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record) =>
        Parsed;
}

using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.GoodParser;

/// <summary>
/// Stateful (one instance per task). Every instance numbers itself and counts the records it parsed,
/// so tests can tell instances apart through the documents they return.
/// </summary>
public sealed class CountingParser : ISingleFileParser
{
    private static int _instancesCreated;
    private readonly int _instanceNumber = Interlocked.Increment(ref _instancesCreated);
    private int _recordsParsed;

    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        _recordsParsed++;
        var keyValues = new Dictionary<string, object?>
        {
            ["instance"] = _instanceNumber,
            ["recordsParsed"] = _recordsParsed,
            ["text"] = Encoding.UTF8.GetString(record),
        };
        return new ParseDocumentResult(null, new Document($"{s3FileName}:{offsetBytes}", "Line", null, keyValues), ParseDocumentResultStatus.Success);
    }
}

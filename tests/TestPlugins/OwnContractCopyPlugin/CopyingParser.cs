using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.OwnContractCopyPlugin;

/// <summary>Returns a contract <see cref="Document"/>, so tests can check its type identity on the host side too.</summary>
public sealed class CopyingParser : ISingleFileParser
{
    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var keyValues = new Dictionary<string, object?> { ["length"] = record.Length };
        return new ParseDocumentResult(null, new Document("copy", "Line", null, keyValues), ParseDocumentResultStatus.Success);
    }
}

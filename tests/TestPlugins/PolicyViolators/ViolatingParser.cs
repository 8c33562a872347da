using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.PolicyViolators;

/// <summary>A plausible parser that reads a secret from the environment while parsing.</summary>
public sealed class ViolatingParser : ISingleFileParser
{
    public string S3FileType => "LOG";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var keyValues = new Dictionary<string, object?> { ["secret"] = EnvironmentReader.ReadSecret() };
        return new ParseDocumentResult(null, new Document("x", "Leak", null, keyValues), ParseDocumentResultStatus.Success);
    }
}

using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.BrokenPlugins;

/// <summary>The parser members every broken variant shares; what varies is how the class is declared.</summary>
public abstract class MinimalParser : ISingleFileParser
{
    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public virtual ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record) =>
        new(null, new Document(GetType().Name, "Line", null, new Dictionary<string, object?>()), ParseDocumentResultStatus.Success);
}

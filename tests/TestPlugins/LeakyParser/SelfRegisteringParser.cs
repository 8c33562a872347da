using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.LeakyParser;

/// <summary>
/// Registers every instance in the AppContext data store, a static dictionary of the host's runtime. That strong
/// reference from outside the plugin keeps the plugin's load context alive after it is unloaded, as a plugin that
/// caches its own objects in a library's or the BCL's static cache does.
/// </summary>
public sealed class SelfRegisteringParser : ISingleFileParser
{
    public SelfRegisteringParser()
    {
        AppDomain.CurrentDomain.SetData($"LetsData.TestPlugins.LeakyParser.{Guid.NewGuid():N}", this);
    }

    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var keyValues = new Dictionary<string, object?> { ["text"] = Encoding.UTF8.GetString(record) };
        return new ParseDocumentResult(null, new Document($"{s3FileName}:{offsetBytes}", "Line", null, keyValues), ParseDocumentResultStatus.Success);
    }
}

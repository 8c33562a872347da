using System.Reflection;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using Newtonsoft.Json;

namespace LetsData.TestPlugins.Newtonsoft;

/// <summary>
/// Compiled into both Newtonsoft plugins: reports which Newtonsoft.Json the plugin actually runs
/// against, and uses it, so tests can prove each plugin got its own version.
/// </summary>
public sealed class NewtonsoftVersionParser : ISingleFileParser
{
    public string S3FileType => "JSON";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var newtonsoft = typeof(JsonConvert).Assembly;
        var keyValues = new Dictionary<string, object?>
        {
            ["newtonsoftVersion"] = newtonsoft.GetName().Version?.ToString(),
            ["newtonsoftFileVersion"] = newtonsoft.GetCustomAttribute<AssemblyFileVersionAttribute>()?.Version,
            ["newtonsoftLocation"] = newtonsoft.Location,
            ["json"] = JsonConvert.SerializeObject(new[] { 1, 2, 3 }),
        };
        return new ParseDocumentResult(null, new Document("versions", "Versions", null, keyValues), ParseDocumentResultStatus.Success);
    }
}

using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.TestPlugins.MissingDependencyLib;

namespace LetsData.TestPlugins.MissingDependencyPlugin;

/// <summary>Derives from a class in the dependency: without it, the type itself cannot load.</summary>
public sealed class DerivedParser : LineParserBase
{
    public override ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record) =>
        new(null, new Document("derived", "Line", null, new Dictionary<string, object?>()), ParseDocumentResultStatus.Success);
}

/// <summary>Only its constructor needs the dependency: without it, the type loads but cannot be created.</summary>
public sealed class SplitterParser : ISingleFileParser
{
    private readonly LineSplitter _splitter = new();

    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var lines = _splitter.Split(System.Text.Encoding.UTF8.GetString(record));
        return new(null, new Document("split", "Line", null, new Dictionary<string, object?> { ["lines"] = lines.Count }), ParseDocumentResultStatus.Success);
    }
}

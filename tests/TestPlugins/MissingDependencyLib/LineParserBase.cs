using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.MissingDependencyLib;

/// <summary>A base class plugin authors might share between their parsers.</summary>
public abstract class LineParserBase : ISingleFileParser
{
    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public abstract ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record);
}

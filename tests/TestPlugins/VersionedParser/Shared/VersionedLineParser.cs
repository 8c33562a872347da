using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.VersionedParser;

/// <summary>
/// One source, several builds of the same assembly (VersionedParser.dll): each build stamps its version on every
/// document, so a test can tell which build produced a task's output. The "renamed" build lacks the configured
/// class, like a new build that broke the dataset's configuration.
/// </summary>
#if VERSIONED_PARSER_RENAMED
public sealed class RenamedLineParser : ISingleFileParser
#else
public sealed class VersionedLineParser : ISingleFileParser
#endif
{
#if VERSIONED_PARSER_V2
    private const string Version = "v2";
#elif VERSIONED_PARSER_RENAMED
    private const string Version = "renamed";
#else
    private const string Version = "v1";
#endif

    // Records are "<r>text" lines.
    private static readonly RecordParseHint Start = RecordParseHint.ForPattern("<r>");
    private static readonly RecordParseHint End = RecordParseHint.ForPattern("\n");

    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => Start;

    public RecordParseHint GetRecordEndPattern(string s3FileType) => End;

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        // "slow" records keep a run going long enough for a test to reload the plugin in the middle of it.
        if (record.IndexOf("slow"u8) >= 0)
        {
            Thread.Sleep(10);
        }

#if !VERSIONED_PARSER_V2
        // The bug that V2 fixes: a record containing "bug" makes V1 throw (the task errors; a redrive with V2 finishes it).
        if (record.IndexOf("bug"u8) >= 0)
        {
            throw new InvalidOperationException($"{Version} cannot parse the record at offset {offsetBytes}");
        }
#endif

        var keyValues = new Dictionary<string, object?>
        {
            ["version"] = Version,
            ["text"] = Encoding.UTF8.GetString(record),
        };
        return new ParseDocumentResult(null, new Document($"{s3FileName}:{offsetBytes}", "Line", null, keyValues), ParseDocumentResultStatus.Success);
    }
}

using System.Text;
using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.GoodParser;

/// <summary>
/// [Stateless]: one instance per loaded plugin, shared by concurrent tasks, so it is thread-safe.
/// Numbers itself like <see cref="CountingParser"/>.
/// </summary>
[Stateless]
public sealed class SharedCountingParser : ISingleFileParser
{
    private static int _instancesCreated;
    private readonly int _instanceNumber;
    private int _recordsParsed;

    public SharedCountingParser()
    {
        _instanceNumber = Interlocked.Increment(ref _instancesCreated);

        // A slow constructor widens the window in which concurrent first calls could create two instances
        // if the runtime's one-instance guarantee were broken.
        Thread.Sleep(50);
    }

    public string S3FileType => "LINES";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForOffset(0);

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var keyValues = new Dictionary<string, object?>
        {
            ["instance"] = _instanceNumber,
            ["recordsParsed"] = Interlocked.Increment(ref _recordsParsed),
            ["text"] = Encoding.UTF8.GetString(record),
        };
        return new ParseDocumentResult(null, new Document($"{s3FileName}:{offsetBytes}", "Line", null, keyValues), ParseDocumentResultStatus.Success);
    }
}

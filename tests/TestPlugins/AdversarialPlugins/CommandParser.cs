using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.AdversarialPlugins;

/// <summary>
/// Lines are commands: <c>ok</c> gives a document; <c>throw</c>, <c>null</c>, <c>badstatus</c>, <c>loop</c> (spins
/// until <see cref="ReleaseLoops"/>), <c>alloc</c> (keeps 1 MB more per record) and <c>thread</c> (starts a thread
/// that keeps running) misbehave in the ways the containment tests need.
/// </summary>
public sealed class CommandParser : ISingleFileParser
{
    private static volatile bool _released;
    private static int _loopsEntered;
    private readonly List<byte[]> _hoard = [];

    private static readonly RecordParseHint LineStart = RecordParseHint.ForPattern("#");
    private static readonly RecordParseHint LineEnd = RecordParseHint.ForPattern("\n");

    /// <summary>Lets every spinning <c>loop</c> call return (the tests call it through reflection in teardown).</summary>
    public static void ReleaseLoops() => _released = true;

    /// <summary>How many <c>loop</c> calls started.</summary>
    public static int LoopsEntered => Volatile.Read(ref _loopsEntered);

    public string S3FileType => "CMD";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => LineStart;

    public RecordParseHint GetRecordEndPattern(string s3FileType) => LineEnd;

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        var command = Encoding.ASCII.GetString(record[1..]).Trim();
        switch (command)
        {
            case "throw":
                throw new InvalidOperationException("the parser gave up on this record");
            case "null":
                return null!;
            case "badstatus":
                return new ParseDocumentResult(null, null, (ParseDocumentResultStatus)42);
            case "loop":
                Interlocked.Increment(ref _loopsEntered);
                while (!_released)
                {
                    Thread.SpinWait(1000);
                    Thread.Sleep(1);
                }

                break;
            case "alloc":
                _hoard.Add(new byte[1 << 20]);
                break;
            case "thread":
                new Thread(() =>
                {
                    while (!_released)
                    {
                        Thread.Sleep(10);
                    }
                }) { IsBackground = true }.Start();
                break;
        }

        return new ParseDocumentResult(null,
            new Document($"{s3FileName}@{offsetBytes}", "Command", null, new Dictionary<string, object?> { ["command"] = command }),
            ParseDocumentResultStatus.Success);
    }
}

/// <summary>A parser whose constructor throws (missing configuration, say).</summary>
public sealed class ThrowingConstructorParser : ISingleFileParser
{
    public ThrowingConstructorParser() => throw new InvalidOperationException("no configuration for this parser");

    public string S3FileType => "CMD";

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => RecordParseHint.ForPattern("#");

    public RecordParseHint GetRecordEndPattern(string s3FileType) => RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record) =>
        throw new NotSupportedException();
}

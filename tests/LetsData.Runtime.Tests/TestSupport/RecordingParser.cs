using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Tests.TestSupport;

/// <summary>A record as a parser received it: its file, offset and exact bytes.</summary>
internal sealed record SeenRecord(string FileName, long Offset, byte[] Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes);
}

/// <summary>
/// A Single File Reader parser with fixed hints that remembers every record it was handed. By default every record
/// becomes a <see cref="Document"/> whose key-values hold the record text and offset; <see cref="Respond"/> scripts
/// other results (index = 0-based record number of this instance).
/// </summary>
internal sealed class RecordingParser(string fileType, RecordParseHint start, RecordParseHint end) : ISingleFileParser
{
    /// <summary>A parser called more often than this is looping: fail loudly instead of hanging the test run.</summary>
    public const int SafetyLimit = 100_000;

    public RecordingParser(string fileType, string startPattern, string endPattern)
        : this(fileType, RecordParseHint.ForPattern(startPattern), RecordParseHint.ForPattern(endPattern))
    {
    }

    public List<SeenRecord> Seen { get; } = [];

    public Func<int, SeenRecord, ParseDocumentResult?>? Respond { get; init; }

    public string S3FileType => fileType;

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public RecordParseHint GetRecordStartPattern(string s3FileType) => start;

    public RecordParseHint GetRecordEndPattern(string s3FileType) => end;

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes, ReadOnlySpan<byte> record)
    {
        if (Seen.Count >= SafetyLimit)
        {
            throw new InvalidOperationException("SAFETY LIMIT: the engine keeps handing out records");
        }

        var seen = new SeenRecord(s3FileName, offsetBytes, record.ToArray());
        var index = Seen.Count;
        Seen.Add(seen);
        return Respond is null ? Success(seen) : Respond(index, seen)!;
    }

    public static ParseDocumentResult Success(SeenRecord seen) =>
        new(null, DocumentOf(seen), ParseDocumentResultStatus.Success);

    public static Document DocumentOf(SeenRecord seen) =>
        new($"{seen.FileName}@{seen.Offset}", "record", null,
            new Dictionary<string, object?> { ["text"] = seen.Text, ["offset"] = seen.Offset, ["file"] = seen.FileName });

    /// <summary>The record text a document built by <see cref="DocumentOf"/> carries.</summary>
    public static string TextOf(IDocument document) => (string)((Document)document).KeyValues["text"]!;

    public static long OffsetOf(IDocument document) => (long)((Document)document).KeyValues["offset"]!;
}

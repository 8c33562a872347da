using System.Globalization;
using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Tests.TestSupport;

/// <summary>
/// A one-state parser of lines <c>#id:payload\n</c>: the document id is the id; a payload of "ERR" gives an Error result.
/// </summary>
internal sealed class TaggedLineParser(string fileType) : ISingleFileStateMachineParser
{
    public const string RecordType = "line";

    public string S3FileType => fileType;

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType) => RecordType;

    public RecordParseHint GetNextRecordStartPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc) =>
        RecordParseHint.ForPattern("#");

    public RecordParseHint GetNextRecordEndPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc) =>
        RecordParseHint.ForPattern("\n");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes,
        string? lastProcessedRecordType, IDocument? lastProcessedDoc, ReadOnlySpan<byte> record)
    {
        var text = Encoding.UTF8.GetString(record);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var id = text[1..colon];
        var payload = text[(colon + 1)..];
        if (payload == "ERR")
        {
            var error = new ErrorDoc(
                new Dictionary<string, string> { [s3FileType] = offsetBytes.ToString(CultureInfo.InvariantCulture) },
                new Dictionary<string, string> { [s3FileType] = (offsetBytes + record.Length).ToString(CultureInfo.InvariantCulture) },
                $"{s3FileType} record {id} is broken", id, RecordType);
            return new ParseDocumentResult(RecordType, error, ParseDocumentResultStatus.Error);
        }

        return new ParseDocumentResult(RecordType,
            new Document(id, RecordType, null, new Dictionary<string, object?> { ["payload"] = payload }),
            ParseDocumentResultStatus.Success);
    }
}

internal enum PairingMode
{
    /// <summary>Reads one record of each file and pairs them by id.</summary>
    Pair,

    /// <summary>Reports Completed with no document on the first call, records left or not.</summary>
    CompleteAtOnce,

    /// <summary>Only ever peeks, and keeps returning Skip results: it never consumes a record.</summary>
    NeverConsume,

    /// <summary>Reads one record of each file, then throws.</summary>
    ThrowAfterReading,

    /// <summary>Reads one record of each file, then returns null instead of a result.</summary>
    NullAfterReading,
}

/// <summary>A Multiple File State Machine Reader over file types "A" and "B" that pairs their records by id.</summary>
internal sealed class PairingReader(PairingMode mode = PairingMode.Pair) : IMultipleFileStateMachineReader
{
    public List<IReadOnlyDictionary<string, string>> ResolveArguments { get; } = [];
    public List<IReadOnlyDictionary<string, string?>?> NextExpectedArguments { get; } = [];
    public int ParseCalls { get; private set; }

    public IReadOnlySet<string> S3FileTypes { get; } = new HashSet<string>(StringComparer.Ordinal) { "A", "B" };

    public IReadOnlyDictionary<string, string> GetResolvedS3FileNames(IReadOnlyDictionary<string, string> fileTypeToFileName)
    {
        ResolveArguments.Add(new Dictionary<string, string>(fileTypeToFileName));
        return fileTypeToFileName;
    }

    public IReadOnlyDictionary<string, ISingleFileStateMachineParser> GetParsers(IReadOnlySet<string> s3FileTypes) =>
        s3FileTypes.ToDictionary(t => t, ISingleFileStateMachineParser (t) => new TaggedLineParser(t));

    public IReadOnlyDictionary<string, string?> GetNextExpectedRecordTypes(IReadOnlyDictionary<string, string?> lastProcessedRecordTypes)
    {
        NextExpectedArguments.Add(lastProcessedRecordTypes is null ? null : new Dictionary<string, string?>(lastProcessedRecordTypes));
        return S3FileTypes.ToDictionary(t => t, string? (_) => TaggedLineParser.RecordType);
    }

    public ParseCompositeDocumentResult ParseDocument(IReadOnlyDictionary<string, string?> lastProcessedRecordTypes,
        IDocument? lastProcessedDoc, IReadOnlyDictionary<string, ISystemFileReader> fileReaders)
    {
        if (++ParseCalls > RecordingParser.SafetyLimit)
        {
            throw new InvalidOperationException("SAFETY LIMIT: the engine keeps calling the reader");
        }

        switch (mode)
        {
            case PairingMode.CompleteAtOnce:
                return Result(fileReaders, null, SingleFileReaderState.Completed, ParseDocumentResultStatus.Success);
            case PairingMode.NeverConsume:
                fileReaders["A"].NextRecord(peek: true);
                return Result(fileReaders, null, SingleFileReaderState.Processing, ParseDocumentResultStatus.Skip);
        }

        var a = fileReaders["A"].NextRecord();
        var b = fileReaders["B"].NextRecord();
        switch (mode)
        {
            case PairingMode.ThrowAfterReading:
                throw new InvalidOperationException("records do not pair");
            case PairingMode.NullAfterReading:
                return null!;
        }

        if (a is null && b is null)
        {
            return Result(fileReaders, null, SingleFileReaderState.Completed, ParseDocumentResultStatus.Success);
        }

        if (a is null || b is null)
        {
            throw new InvalidOperationException("one file ended before the other");
        }

        var errors = new[] { a, b }.OfType<IErrorDoc>().ToList();
        if (errors.Count > 0)
        {
            var placeholder = new ErrorDoc(null, null, "pair has broken parts", a.DocumentId);
            return Result(fileReaders, new CompositeDoc(placeholder, errors), SingleFileReaderState.Processing,
                ParseDocumentResultStatus.Error);
        }

        if (a.DocumentId != b.DocumentId)
        {
            throw new InvalidOperationException($"records {a.DocumentId} and {b.DocumentId} do not pair");
        }

        var pair = new Document(a.DocumentId, "pair", null, new Dictionary<string, object?>
        {
            ["a"] = ((Document)a).KeyValues["payload"],
            ["b"] = ((Document)b).KeyValues["payload"],
        });
        return Result(fileReaders, new CompositeDoc(pair), SingleFileReaderState.Processing, ParseDocumentResultStatus.Success);
    }

    private static ParseCompositeDocumentResult Result(IReadOnlyDictionary<string, ISystemFileReader> readers,
        ICompositeDoc? document, SingleFileReaderState state, ParseDocumentResultStatus status) =>
        new(readers.ToDictionary(r => r.Key, string? (_) => TaggedLineParser.RecordType),
            document,
            readers.ToDictionary(r => r.Key, r => r.Value.LastRecordType),
            readers.ToDictionary(r => r.Key, r => r.Value.OffsetBytes),
            state, status);
}

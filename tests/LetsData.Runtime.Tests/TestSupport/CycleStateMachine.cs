using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Tests.TestSupport;

/// <summary>
/// A state-machine parser over records <c>&lt;A&gt;...</c>, <c>&lt;B&gt;...</c>, <c>&lt;C&gt;...</c> in the cycle A→B→C→A.
/// The end pattern of a record is the start of the next record type. It logs every call so tests can check the
/// runtime's bookkeeping, and it is built to expose a runtime that tracks types the wrong way: documents carry a garbage
/// RecordType, <see cref="GetNextExpectedRecordType"/> answers "WRONG" for anything but the initial null, and the
/// pattern methods throw for a type outside the cycle. A record whose body contains "BAD" gives an Error result with
/// an ErrorDoc, but still the right next type.
/// </summary>
internal sealed class CycleParser : ISingleFileStateMachineParser
{
    public const string FileTypeName = "CYCLE";

    public List<string?> ExpectedTypeCalls { get; } = [];
    public List<(string Expected, IDocument? LastDocument)> StartPatternCalls { get; } = [];
    public List<ParseCall> ParseCalls { get; } = [];

    public string S3FileType => FileTypeName;

    public static string Next(string type) => type switch
    {
        "A" => "B",
        "B" => "C",
        "C" => "A",
        _ => throw new InvalidOperationException($"'{type}' is not a record type of the cycle"),
    };

    /// <summary>The file content for the given (type, body) records, and each record's byte offset.</summary>
    public static (byte[] Content, List<long> Offsets) Build(params (string Type, string Body)[] records)
    {
        var text = new StringBuilder();
        var offsets = new List<long>();
        foreach (var (type, body) in records)
        {
            offsets.Add(Encoding.UTF8.GetByteCount(text.ToString()));
            text.Append('<').Append(type).Append('>').Append(body);
        }

        return (Encoding.UTF8.GetBytes(text.ToString()), offsets);
    }

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType)
    {
        ExpectedTypeCalls.Add(lastProcessedRecordType);
        return lastProcessedRecordType is null ? "A" : "WRONG";
    }

    public RecordParseHint GetNextRecordStartPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc)
    {
        Next(nextExpectedRecordType); // throws for a type outside the cycle
        StartPatternCalls.Add((nextExpectedRecordType, lastProcessedDoc));
        return RecordParseHint.ForPattern($"<{nextExpectedRecordType}>");
    }

    public RecordParseHint GetNextRecordEndPattern(string s3FileType, string nextExpectedRecordType, IDocument? lastProcessedDoc) =>
        RecordParseHint.ForPattern($"<{Next(nextExpectedRecordType)}>");

    public ParseDocumentResult ParseDocument(string s3FileType, string s3FileName, long offsetBytes,
        string? lastProcessedRecordType, IDocument? lastProcessedDoc, ReadOnlySpan<byte> record)
    {
        if (ParseCalls.Count >= RecordingParser.SafetyLimit)
        {
            throw new InvalidOperationException("SAFETY LIMIT: the engine keeps handing out records");
        }

        var text = Encoding.UTF8.GetString(record);
        var recordType = text.Substring(1, 1);
        var n = ParseCalls.Count;
        IDocument document;
        ParseDocumentResultStatus status;
        if (text.Contains("BAD", StringComparison.Ordinal))
        {
            document = new ErrorDoc(
                new Dictionary<string, string> { [s3FileType] = offsetBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                new Dictionary<string, string> { [s3FileType] = (offsetBytes + record.Length).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                $"bad {recordType} record", $"{recordType}@{offsetBytes}", recordType: "response,WARC_ERROR");
            status = ParseDocumentResultStatus.Error;
        }
        else
        {
            document = new Document($"{recordType}@{offsetBytes}", $"garbage-{n}", null,
                new Dictionary<string, object?> { ["text"] = text, ["offset"] = offsetBytes });
            status = ParseDocumentResultStatus.Success;
        }

        ParseCalls.Add(new ParseCall(offsetBytes, lastProcessedRecordType, lastProcessedDoc, text, document));
        return new ParseDocumentResult(Next(recordType), document, status);
    }

    public sealed record ParseCall(long Offset, string? LastProcessedRecordType, IDocument? LastProcessedDoc, string Text,
        IDocument Returned);
}

/// <summary>What a reader saw of its <see cref="ISystemFileReader"/> around one <c>NextRecord(false)</c> call.</summary>
internal sealed record ReaderObservation(
    string? LastProcessedRecordTypeArgument,
    string? LastRecordTypeBefore, string OffsetBefore,
    IDocument? Document,
    string? LastRecordTypeAfter, string OffsetAfter, SingleFileReaderState StateAfter);

/// <summary>A single-file state-machine reader over the cycle's file: everything but <c>ParseDocument</c>, which tests vary.</summary>
internal abstract class CycleFileReader : ISingleFileStateMachineReader
{
    public CycleParser Parser { get; } = new();

    public string S3FileType => CycleParser.FileTypeName;

    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    public ISingleFileStateMachineParser GetParser(string s3FileType) => Parser;

    public string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType) =>
        Parser.GetNextExpectedRecordType(s3FileType, lastProcessedRecordType);

    public abstract ParseCompositeDocumentResult ParseDocument(string s3FileType, string? lastProcessedRecordType,
        IDocument? lastProcessedDoc, ISystemFileReader fileReader);
}

/// <summary>A single-file state-machine reader that turns every record of the cycle into one composite document.</summary>
internal sealed class CycleReader : CycleFileReader
{
    public List<ReaderObservation> Observations { get; } = [];

    public override ParseCompositeDocumentResult ParseDocument(string s3FileType, string? lastProcessedRecordType,
        IDocument? lastProcessedDoc, ISystemFileReader fileReader)
    {
        var (typeBefore, offsetBefore) = (fileReader.LastRecordType, fileReader.OffsetBytes);
        var document = fileReader.NextRecord();
        Observations.Add(new ReaderObservation(lastProcessedRecordType, typeBefore, offsetBefore, document,
            fileReader.LastRecordType, fileReader.OffsetBytes, fileReader.State));
        return CompositeResult.Of(fileReader, document);
    }
}

internal static class CompositeResult
{
    /// <summary>The usual reader result for one record: Completed at EOF, Error for an error doc, else Success.</summary>
    public static ParseCompositeDocumentResult Of(ISystemFileReader fileReader, IDocument? document)
    {
        var type = fileReader.FileType;
        var last = new Dictionary<string, string?> { [type] = fileReader.LastRecordType };
        var offsets = new Dictionary<string, string> { [type] = fileReader.OffsetBytes };
        return document switch
        {
            null => new ParseCompositeDocumentResult(null, null, last, offsets, SingleFileReaderState.Completed,
                ParseDocumentResultStatus.Success),
            IErrorDoc error => new ParseCompositeDocumentResult(null, new CompositeDoc(null, [error]), last, offsets,
                SingleFileReaderState.Processing, ParseDocumentResultStatus.Error),
            ISkipDoc => new ParseCompositeDocumentResult(null, null, last, offsets, SingleFileReaderState.Processing,
                ParseDocumentResultStatus.Skip),
            _ => new ParseCompositeDocumentResult(null, new CompositeDoc((ISingleDoc)document), last, offsets,
                SingleFileReaderState.Processing, ParseDocumentResultStatus.Success),
        };
    }
}

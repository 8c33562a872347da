using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace Company.Parser;

/// <summary>
/// A Single File State Machine Reader: pulls the events of an event log through <see cref="EventLineParser"/> and
/// writes one <c>Session</c> document per run of events up to a <c>logout</c> (or the end of the file). Lines that do
/// not parse go to the error destination alongside the session they were found in.
/// </summary>
[Stateless] // no mutable state: one shared instance serves every task
public sealed class SessionReader : ISingleFileStateMachineReader
{
    /// <summary>The file type of the dataset's manifest.</summary>
    public const string FileType = "EVENTLOG";

    private static readonly EventLineParser Parser = new();

    /// <inheritdoc />
    public string S3FileType => FileType;

    /// <inheritdoc />
    public string GetResolvedS3FileName(string s3FileType, string fileName) => fileName;

    /// <inheritdoc />
    public ISingleFileStateMachineParser GetParser(string s3FileType) => Parser;

    /// <inheritdoc />
    public string GetNextExpectedRecordType(string s3FileType, string? lastProcessedRecordType) => EventLineParser.RecordType;

    /// <inheritdoc />
    public ParseCompositeDocumentResult ParseDocument(string s3FileType, string? lastProcessedRecordType,
        IDocument? lastProcessedDoc, ISystemFileReader fileReader)
    {
        var events = new List<IReadOnlyDictionary<string, object?>>();
        var errors = new List<IErrorDoc>();
        string? firstId = null;
        while (fileReader.NextRecord() is { } record)
        {
            if (record is IErrorDoc error)
            {
                errors.Add(error);
                continue;
            }

            if (record is not Document line)
            {
                continue; // a skipped record
            }

            firstId ??= line.DocumentId;
            events.Add(line.KeyValues);
            if (Equals(line.KeyValues["action"], "logout"))
            {
                break;
            }
        }

        var lastTypes = new Dictionary<string, string?> { [FileType] = fileReader.LastRecordType };
        var nextTypes = new Dictionary<string, string?> { [FileType] = EventLineParser.RecordType };
        var offsets = new Dictionary<string, string> { [FileType] = fileReader.OffsetBytes };
        if (events.Count == 0)
        {
            // Nothing but errors (or nothing at all: the end of the file).
            return errors.Count == 0
                ? new ParseCompositeDocumentResult(null, null, lastTypes, offsets, SingleFileReaderState.Completed, ParseDocumentResultStatus.Success)
                : new ParseCompositeDocumentResult(nextTypes, new CompositeDoc(null, errors), lastTypes, offsets,
                    SingleFileReaderState.Processing, ParseDocumentResultStatus.Error);
        }

        var session = new Dictionary<string, object?>
        {
            ["started"] = events[0]["at"],
            ["ended"] = events[^1]["at"],
            ["user"] = events[0]["details"],
            ["events"] = events,
        };
        var document = new Document(firstId, "Session", null, session);
        return new ParseCompositeDocumentResult(nextTypes, new CompositeDoc(document, errors), lastTypes, offsets,
            SingleFileReaderState.Processing, ParseDocumentResultStatus.Success);
    }
}

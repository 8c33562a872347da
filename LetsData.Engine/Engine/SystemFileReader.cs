using System.Globalization;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Engine;

/// <summary>
/// The runtime's <see cref="ISystemFileReader"/>: reads one file's records for a state-machine reader, driving the
/// file's <see cref="ISingleFileStateMachineParser"/>. Keeps the state-machine bookkeeping of the original platform:
/// the expected type starts at <c>GetNextExpectedRecordType(type, null)</c>; after each record the last type becomes the
/// expected one and the expected one becomes the parser's <c>NextRecordType</c> (never a document's RecordType).
/// A peek parses and caches the next record without moving the cursor or the state machine.
/// <para>
/// A checkpoint keeps the committed position (the end of the last consumed record, never a peeked one), the two
/// record types and the last document; a resumed reader starts from them as if it had just consumed that record.
/// </para>
/// </summary>
internal sealed class SystemFileReader : ISystemFileReader, IDisposable
{
    private readonly TaskInput? _input;
    private readonly RecordScanner _scanner;
    private readonly ISingleFileStateMachineParser _parser;
    private readonly PluginCallSite _callSite;
    private readonly TaskCounters _counters;
    private string? _expectedRecordType;
    private bool _expectedTypeKnown;
    private IDocument? _lastDocument;
    private long _offset;
    private string? _offsetText = "0";
    private long _lastRecordStart;
    private PendingRecord? _peeked;

    public SystemFileReader(string fileType, string fileName, TaskInput input, ISingleFileStateMachineParser parser,
        PluginCallSite callSite, TaskCounters counters, FileCheckpoint? resumeAt = null)
        : this(fileType, fileName, input.Scanner, parser, callSite, counters, resumeAt, input)
    {
    }

    /// <summary>A reader over a bare scanner (tests): its checkpoints describe an uncompressed file.</summary>
    public SystemFileReader(string fileType, string fileName, RecordScanner scanner, ISingleFileStateMachineParser parser,
        PluginCallSite callSite, TaskCounters counters, FileCheckpoint? resumeAt = null, TaskInput? input = null)
    {
        FileType = fileType;
        FileName = fileName;
        _input = input;
        _scanner = scanner;
        _parser = parser;
        _callSite = callSite;
        _counters = counters;
        if (resumeAt is not null)
        {
            _offset = _lastRecordStart = resumeAt.Offset;
            _offsetText = null;
            LastRecordType = resumeAt.LastRecordType;
            _lastDocument = resumeAt.LastDocument;
            _expectedRecordType = resumeAt.NextRecordType;
            _expectedTypeKnown = resumeAt.NextRecordType is not null;
        }
    }

    /// <summary>The file's committed position and state machine, for a checkpoint (the caller is between plugin calls).</summary>
    public FileCheckpoint Checkpoint()
    {
        _callSite.Enter("IDocument.Serialize (the checkpoint's last document)", FileType, FileName, _offset);
        var lastDocument = CheckpointedDocument.Of(_lastDocument);
        _callSite.Exit();
        return new FileCheckpoint(_offset, LastRecordType, _expectedTypeKnown ? _expectedRecordType : null, _input?.IsGzip ?? false,
            _input?.RestartPointFor(_offset), lastDocument);
    }

    public string FileType { get; }
    public string FileName { get; }
    public SingleFileReaderState State { get; private set; } = SingleFileReaderState.Created;
    public string? LastRecordType { get; private set; }

    /// <summary>Records consumed so far (peeks excluded); the engine uses it to detect a reader that makes no progress.</summary>
    public long ConsumedRecords { get; private set; }

    public string OffsetBytes => _offsetText ??= _offset.ToString(CultureInfo.InvariantCulture);

    /// <summary>Start offset of the last consumed record, for error records the runtime builds itself.</summary>
    public string LastRecordStartOffsetText => _lastRecordStart.ToString(CultureInfo.InvariantCulture);

    public IDocument? NextRecord(bool peek = false)
    {
        var (callerMethod, callerInPluginCall) = (_callSite.Method, _callSite.InPluginCall);
        var document = ReadRecord(peek);
        _callSite.Resume(callerMethod, callerInPluginCall);
        return document;
    }

    private IDocument? ReadRecord(bool peek)
    {
        if (_peeked is { } cached)
        {
            if (!peek)
            {
                _peeked = null;
                Commit(cached);
            }

            return cached.Document;
        }

        if (State is SingleFileReaderState.Completed or SingleFileReaderState.Closed)
        {
            return null;
        }

        MoveTo(SingleFileReaderState.Processing);
        if (ReadNext() is not { } next)
        {
            MoveTo(SingleFileReaderState.Completed);
            return null;
        }

        if (peek)
        {
            _peeked = next;
        }
        else
        {
            Commit(next);
        }

        return next.Document;
    }

    private PendingRecord? ReadNext()
    {
        if (!_expectedTypeKnown)
        {
            _callSite.Enter("ISingleFileStateMachineParser.GetNextExpectedRecordType", FileType, FileName, _scanner.Position);
            _expectedRecordType = _parser.GetNextExpectedRecordType(FileType, null);
            _expectedTypeKnown = true;
        }

        if (_expectedRecordType is not { } expected)
        {
            // The call site is still at the last record's start: the task's error record must point where the message does.
            _callSite.At(FileType, FileName, _scanner.Position);
            throw new PluginContractException(
                $"plugin {_callSite.PluginName}: the {FileType} parser gave no expected record type at offset {_scanner.Position} of {FileName}");
        }

        _callSite.Enter("ISingleFileStateMachineParser.GetNextRecordStartPattern", FileType, FileName, _scanner.Position);
        var start = _parser.GetNextRecordStartPattern(FileType, expected, _lastDocument);
        _callSite.Enter("ISingleFileStateMachineParser.GetNextRecordEndPattern");
        var end = _parser.GetNextRecordEndPattern(FileType, expected, _lastDocument);
        _callSite.Exit();
        if (start is null || end is null)
        {
            throw new PluginContractException(
                $"plugin {_callSite.PluginName}: the {FileType} parser returned a null record hint for record type {expected}");
        }

        if (!_scanner.TryReadRecord(start, end, out var recordOffset, out var record))
        {
            _counters.Skips += _scanner.TakeBlankRecords();
            return null;
        }

        // Blank records passed over before this one count as skipped when it is consumed (a peeked one may be read
        // again after a checkpoint, blank records before it too).
        var blankBefore = _scanner.TakeBlankRecords();

        _callSite.Enter("ISingleFileStateMachineParser.ParseDocument", FileType, FileName, recordOffset);
        var result = _parser.ParseDocument(FileType, FileName, recordOffset, LastRecordType, _lastDocument, record);
        var recordEnd = _scanner.Position;
        var document = DocumentOf(result, expected, recordOffset, recordEnd);
        var nextExpected = result.NextRecordType;
        if (nextExpected is null)
        {
            _callSite.Enter("ISingleFileStateMachineParser.GetNextExpectedRecordType");
            nextExpected = _parser.GetNextExpectedRecordType(FileType, expected);
        }

        _callSite.Exit();
        return new PendingRecord(document, recordOffset, recordEnd, expected, nextExpected, blankBefore);
    }

    /// <summary>
    /// The reader sees statuses only through document types, so a status and a document that disagree are reconciled
    /// here: an Error result always surfaces as an <see cref="IErrorDoc"/>, a Skip as an <see cref="ISkipDoc"/>.
    /// </summary>
    private IDocument DocumentOf(ParseDocumentResult? result, string expected, long start, long end)
    {
        if (result is null)
        {
            throw new PluginContractException(
                $"plugin {_callSite.PluginName}: the {FileType} parser returned null for record type {expected} at offset {start} of {FileName}");
        }

        var document = result.Document;
        switch (result.Status)
        {
            case ParseDocumentResultStatus.Success when document is not null:
                return document;
            case ParseDocumentResultStatus.Success:
                throw new PluginContractException(
                    $"plugin {_callSite.PluginName}: the {FileType} parser returned Success without a document at offset {start} of {FileName}");
            case ParseDocumentResultStatus.Error when document is IErrorDoc:
            case ParseDocumentResultStatus.Skip when document is ISkipDoc:
                return document;
            case ParseDocumentResultStatus.Error:
                return new ErrorDoc(OffsetMap(start), OffsetMap(end),
                    $"the {FileType} parser returned Error for record type {expected} without an error document",
                    document?.DocumentId, expected, serialized: document?.Serialize());
            default:
                return new SkipDoc(OffsetMap(start), OffsetMap(end), $"skipped {expected} record", document?.DocumentId, expected);
        }
    }

    private Dictionary<string, string> OffsetMap(long offset) =>
        new() { [FileType] = offset.ToString(CultureInfo.InvariantCulture) };

    private void Commit(in PendingRecord record)
    {
        LastRecordType = record.RecordType;
        _expectedRecordType = record.NextExpectedRecordType;
        _lastDocument = record.Document;
        _lastRecordStart = record.Start;
        _offset = record.End;
        _offsetText = null;
        ConsumedRecords++;
        // Counted when consumed, not when read: a record peeked before a checkpoint lies after its offset and is read
        // again by the attempt that resumes there, so counting peeks would count it twice over the task's attempts.
        _counters.Records++;
        _counters.Skips += record.BlankBefore;
    }

    private void MoveTo(SingleFileReaderState state)
    {
        if (State != state)
        {
            SingleFileReaderStates.AssertValidTransition(State, state);
            State = state;
        }
    }

    public void Dispose()
    {
        if (State != SingleFileReaderState.Closed)
        {
            State = SingleFileReaderState.Closed;
        }
    }

    // A struct: one is made per record, and the hot path should not allocate for bookkeeping.
    private readonly record struct PendingRecord(IDocument Document, long Start, long End, string RecordType, string NextExpectedRecordType,
        long BlankBefore);
}

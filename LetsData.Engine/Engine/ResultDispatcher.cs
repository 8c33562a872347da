using System.Buffers;
using System.Globalization;
using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Engine.Vectorization;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Engine;

/// <summary>
/// Routes plugin results: Success to the write connector, Error to the error connector (for composites every error
/// doc of the entry's list), Skip to a count. With a <see cref="VectorizationStage"/>, a Success document waits there
/// for its vectors and its vector document is written instead.
/// </summary>
internal sealed class ResultDispatcher(
    TaskContext task, IDocumentSink documents, IErrorSink errors, TaskCounters counters, PluginCallSite callSite,
    VectorizationStage? vectorization = null)
{
    private const int InitialSerializedBytes = 16 * 1024;

    /// <summary>A buffer grown past this by one huge document is not kept for the rest of the task.</summary>
    private const int MaxRetainedSerializedBytes = 4 * 1024 * 1024;

    // The serialized form of the document being written, reused: sinks copy what they keep.
    private ArrayBufferWriter<byte> _serialized = new(InitialSerializedBytes);

    /// <summary>Dispatches a file parser's result for the record at [<paramref name="startOffset"/>, <paramref name="endOffset"/>).</summary>
    public void Dispatch(ParseDocumentResult? result, string fileType, long startOffset, long endOffset) =>
        Dispatch(result, new RecordPosition(fileType, startOffset, endOffset, null, null));

    /// <summary>
    /// Dispatches a stream or table reader's result; the record is named by <paramref name="position"/> under
    /// <paramref name="positionKey"/> in error records (LetsData's <c>{"sequenceNumber": …}</c>, <c>{"keys": …}</c>).
    /// </summary>
    public void Dispatch(ParseDocumentResult? result, string positionKey, string position) =>
        Dispatch(result, new RecordPosition(positionKey, -1, -1, position, null));

    /// <summary>Dispatches a table reader's result; error records name the item by its keys (<c>{"keys": "&lt;json&gt;"}</c>).</summary>
    public void Dispatch(ParseDocumentResult? result, IReadOnlyDictionary<string, object?> itemKeys) =>
        Dispatch(result, new RecordPosition("keys", -1, -1, null, itemKeys));

    private void Dispatch(ParseDocumentResult? result, in RecordPosition position)
    {
        var method = callSite.Method;
        if (result is null)
        {
            throw new PluginContractException($"plugin {callSite.PluginName}: {method} returned null instead of a ParseDocumentResult");
        }

        switch (result.Status)
        {
            case ParseDocumentResultStatus.Success:
                if (result.Document is null)
                {
                    throw new PluginContractException($"plugin {callSite.PluginName}: {method} returned Success without a document");
                }

                WriteDocument(result.Document, position);
                break;
            case ParseDocumentResultStatus.Error:
                WriteError(result.Document as IErrorDoc, position, NotAnErrorDoc(method, result.Document, "a document"));
                break;
            case ParseDocumentResultStatus.Skip:
                counters.Skips++;
                break;
            default:
                throw new PluginContractException($"plugin {callSite.PluginName}: {method} returned the unknown status {(int)result.Status}");
        }
    }

    /// <summary>Dispatches a composite result; the caller has already handled "Completed with no document".</summary>
    public void Dispatch(ParseCompositeDocumentResult? result, IReadOnlyDictionary<string, SystemFileReader> readers)
    {
        var method = callSite.Method;
        if (result is null)
        {
            throw new PluginContractException($"plugin {callSite.PluginName}: {method} returned null instead of a ParseCompositeDocumentResult");
        }

        var composite = result.Document;
        var kept = composite?.DocumentList.Key;
        var partErrors = composite?.DocumentList.Value ?? [];
        switch (result.Status)
        {
            case ParseDocumentResultStatus.Success:
                if (kept is null)
                {
                    throw new PluginContractException($"plugin {callSite.PluginName}: {method} returned Success without a document");
                }

                WriteDocument(kept, readers);
                WriteErrors(partErrors, readers);
                break;
            case ParseDocumentResultStatus.Error:
                if (partErrors.Count > 0)
                {
                    WriteErrors(partErrors, readers);
                }
                else
                {
                    WriteError(kept as IErrorDoc, readers, NotAnErrorDoc(method, kept, "error documents"));
                }

                break;
            case ParseDocumentResultStatus.Skip:
                counters.Skips++;
                break;
            default:
                throw new PluginContractException($"plugin {callSite.PluginName}: {method} returned the unknown status {(int)result.Status}");
        }
    }

    private void WriteDocument(IDocument document, in RecordPosition position)
    {
        if (vectorization is not null)
        {
            var (start, end) = position.Maps();
            Vectorize(document, start, end);
        }
        else if (TryWriteDocument(document) is { } problem)
        {
            WriteError(null, position, problem, document);
        }
    }

    private void WriteDocument(ISingleDoc document, IReadOnlyDictionary<string, SystemFileReader> readers)
    {
        if (vectorization is not null)
        {
            Vectorize(document, readers.ToDictionary(r => r.Key, r => r.Value.LastRecordStartOffsetText),
                readers.ToDictionary(r => r.Key, r => r.Value.OffsetBytes));
        }
        else if (TryWriteDocument(document) is { } problem)
        {
            WriteError(null, readers, problem, document);
        }
    }

    private void Vectorize(IDocument document, IReadOnlyDictionary<string, string> start, IReadOnlyDictionary<string, string> end)
    {
        if (vectorization!.Add(document, start, end))
        {
            FlushVectorization();
        }
    }

    /// <summary>
    /// Writes the vector documents of every document waiting in the vectorization stage (none without one): before a
    /// checkpoint takes the outputs' positions, and when the reader is done.
    /// </summary>
    public void FlushVectorization() => vectorization?.Flush(WriteVectorDoc, WriteVectorError);

    private void WriteVectorDoc(IDocument vectorDoc, PendingDocument pending)
    {
        if (TryWriteDocument(vectorDoc) is { } problem)
        {
            WriteError(null, problem, vectorDoc, () => pending.Start, () => pending.End);
        }
    }

    private void WriteVectorError(IErrorDoc? errorDoc, string? message, PendingDocument pending) =>
        WriteError(errorDoc, message, pending.Document, () => pending.Start, () => pending.End);

    /// <summary>
    /// Writes the document's serialized form. Returns why it was not written — no serialized form, or the destination
    /// refused this one document — or null when it was.
    /// </summary>
    private string? TryWriteDocument(IDocument document)
    {
        if (!TrySerialize(document))
        {
            return NothingToWrite(document);
        }

        try
        {
            documents.Write(document, _serialized.WrittenSpan);
        }
        catch (DocumentRejectedException e)
        {
            return $"the write connector refused document {document.DocumentId ?? "(no id)"}: {e.Message}";
        }

        counters.Documents++;
        return null;
    }

    /// <summary>
    /// Puts the document's serialized form into <see cref="_serialized"/> as UTF-8, the form every destination writes:
    /// straight from the document when it can write UTF-8 itself (no string of a large document built and encoded
    /// again), else its <c>Serialize()</c> string encoded. False when there is nothing to write.
    /// </summary>
    private bool TrySerialize(IDocument document)
    {
        if (_serialized.Capacity > MaxRetainedSerializedBytes)
        {
            _serialized = new ArrayBufferWriter<byte>(InitialSerializedBytes);
        }
        else
        {
            _serialized.ResetWrittenCount();
        }

        if (document is IUtf8SerializableDocument utf8)
        {
            callSite.Enter("IUtf8SerializableDocument.TrySerializeUtf8");
            var written = utf8.TrySerializeUtf8(_serialized);
            callSite.Exit();
            return written;
        }

        callSite.Enter("IDocument.Serialize");
        var serialized = document.Serialize();
        callSite.Exit();
        if (serialized is null)
        {
            return false;
        }

        // One pass when the worst case (3 bytes a char) fits; a large document is counted first rather than given 3x room.
        var worstCase = Encoding.UTF8.GetMaxByteCount(serialized.Length);
        var room = _serialized.GetSpan(worstCase <= _serialized.FreeCapacity ? worstCase : Encoding.UTF8.GetByteCount(serialized));
        _serialized.Advance(Encoding.UTF8.GetBytes(serialized, room));
        return true;
    }

    private static string NothingToWrite(IDocument document) =>
        $"{(document is IUtf8SerializableDocument ? "TrySerializeUtf8 returned false" : "Serialize() returned null")} for document "
        + $"{document.DocumentId ?? "(no id)"}; nothing to write";

    private void WriteErrors(IReadOnlyList<IErrorDoc> errorDocs, IReadOnlyDictionary<string, SystemFileReader> readers)
    {
        foreach (var errorDoc in errorDocs)
        {
            WriteError(errorDoc, readers, errorDoc is null ? "reader returned a null error document" : null);
        }
    }

    private void WriteError(IErrorDoc? errorDoc, in RecordPosition position, string? fallbackMessage, IDocument? unwritten = null)
    {
        var (start, end) = position.Maps();
        WriteError(errorDoc, fallbackMessage, unwritten, () => start, () => end);
    }

    private void WriteError(IErrorDoc? errorDoc, IReadOnlyDictionary<string, SystemFileReader> readers, string? fallbackMessage,
        IDocument? unwritten = null) =>
        WriteError(errorDoc, fallbackMessage, unwritten,
            () => readers.ToDictionary(r => r.Key, r => r.Value.LastRecordStartOffsetText),
            () => readers.ToDictionary(r => r.Key, r => r.Value.OffsetBytes));

    /// <summary>What an Error result lacks when its document is not an <see cref="IErrorDoc"/> (null when it is one).</summary>
    private static string? NotAnErrorDoc(string? method, IDocument? document, string missing) => document switch
    {
        null => $"{method} returned Error without {missing}",
        IErrorDoc => null,
        _ => $"{method} returned Error with a {document.GetType().Name}, not an IErrorDoc (return an ErrorDoc with a message)",
    };

    // unwritten: a document that could not be written; its id and record type go into the record.
    private void WriteError(IErrorDoc? errorDoc, string? fallbackMessage, IDocument? unwritten,
        Func<IReadOnlyDictionary<string, string>> startOffsets, Func<IReadOnlyDictionary<string, string>> endOffsets)
    {
        var record = new ErrorRecord(
            ErrorRecordKind.ErrorDoc,
            task.DatasetName,
            task.TaskId,
            task.FileNames,
            errorDoc?.ErrorStartOffsetMap ?? startOffsets(),
            errorDoc?.ErrorEndOffsetMap ?? endOffsets(),
            errorDoc?.ErrorMessage ?? fallbackMessage ?? "error document without a message",
            errorDoc?.DocumentId ?? unwritten?.DocumentId,
            errorDoc?.RecordType ?? unwritten?.RecordType,
            SerializeErrorDoc(errorDoc))
        {
            ErrorDoc = errorDoc,
        };
        errors.Write(record);
        counters.Errors++;
    }

    private string? SerializeErrorDoc(IErrorDoc? errorDoc)
    {
        if (errorDoc is null)
        {
            return null;
        }

        callSite.Enter("IErrorDoc.Serialize");
        var serialized = errorDoc.Serialize();
        callSite.Exit();
        return serialized;
    }

    /// <summary>Records the error that stopped the task, so the error destination tells the whole story.</summary>
    public void WriteTaskError(string message, string? fileType, long offset)
    {
        IReadOnlyDictionary<string, string>? offsets = fileType is null || offset < 0
            ? null
            : new Dictionary<string, string> { [fileType] = offset.ToString(CultureInfo.InvariantCulture) };
        errors.Write(new ErrorRecord(ErrorRecordKind.TaskError, task.DatasetName, task.TaskId, task.FileNames,
            offsets, offsets, message));
    }

    /// <summary>
    /// Where a single record was: a byte range of a file, a stream position, or a table item's keys. Formatted only
    /// when an error record needs it.
    /// </summary>
    private readonly record struct RecordPosition(
        string Key, long StartOffset, long EndOffset, string? Text, IReadOnlyDictionary<string, object?>? ItemKeys)
    {
        /// <summary>The start and end offset maps of an error record (one text for both when the position is not a byte range).</summary>
        public (Dictionary<string, string> Start, Dictionary<string, string> End) Maps()
        {
            var text = Text ?? (ItemKeys is not null ? KeysJson(ItemKeys) : null);
            return (new() { [Key] = text ?? StartOffset.ToString(CultureInfo.InvariantCulture) },
                new() { [Key] = text ?? EndOffset.ToString(CultureInfo.InvariantCulture) });
        }

        private static string KeysJson(IReadOnlyDictionary<string, object?> keys)
        {
            try
            {
                // The one text form of a table key, shared with scan checkpoints (types kept: S, N, B).
                return DynamoDBKeyJson.Serialize(keys);
            }
            catch (ArgumentException)
            {
                // A key of a type DynamoDB keys cannot have (an in-memory test table): name the attributes at least.
                return string.Join(",", keys.Keys);
            }
        }
    }
}


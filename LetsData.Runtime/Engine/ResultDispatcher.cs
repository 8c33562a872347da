using System.Globalization;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Engine;

/// <summary>
/// Routes plugin results: Success to the write connector, Error to the error connector (for composites every error
/// doc of the entry's list), Skip to a count.
/// </summary>
internal sealed class ResultDispatcher(
    TaskContext task, IDocumentSink documents, IErrorSink errors, TaskCounters counters, PluginCallSite callSite)
{
    public void Dispatch(ParseDocumentResult? result, string fileType, long startOffset, long endOffset)
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

                WriteDocument(result.Document, fileType, startOffset, endOffset);
                break;
            case ParseDocumentResultStatus.Error:
                WriteError(result.Document as IErrorDoc, fileType, startOffset, endOffset,
                    result.Document is null ? "parser returned Error without a document" : null);
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
                    WriteError(kept as IErrorDoc, readers, kept is null ? "reader returned Error without error documents" : null);
                }

                break;
            case ParseDocumentResultStatus.Skip:
                counters.Skips++;
                break;
            default:
                throw new PluginContractException($"plugin {callSite.PluginName}: {method} returned the unknown status {(int)result.Status}");
        }
    }

    private void WriteDocument(IDocument document, string fileType, long startOffset, long endOffset)
    {
        if (TryWriteDocument(document) is { } problem)
        {
            WriteError(null, fileType, startOffset, endOffset, problem, document);
        }
    }

    private void WriteDocument(ISingleDoc document, IReadOnlyDictionary<string, SystemFileReader> readers)
    {
        if (TryWriteDocument(document) is { } problem)
        {
            WriteError(null, readers, problem, document);
        }
    }

    /// <summary>
    /// Writes the document's <c>Serialize()</c> result. Returns why it was not written — no serialized form, or the
    /// destination refused this one document — or null when it was.
    /// </summary>
    private string? TryWriteDocument(IDocument document)
    {
        callSite.Enter("IDocument.Serialize");
        var serialized = document.Serialize();
        callSite.Exit();
        if (serialized is null)
        {
            return NothingToWrite(document);
        }

        try
        {
            documents.Write(document, serialized);
        }
        catch (DocumentRejectedException e)
        {
            return $"the write connector refused document {document.DocumentId ?? "(no id)"}: {e.Message}";
        }

        counters.Documents++;
        return null;
    }

    private static string NothingToWrite(IDocument document) =>
        $"Serialize() returned null for document {document.DocumentId ?? "(no id)"}; nothing to write";

    private void WriteErrors(IReadOnlyList<IErrorDoc> errorDocs, IReadOnlyDictionary<string, SystemFileReader> readers)
    {
        foreach (var errorDoc in errorDocs)
        {
            WriteError(errorDoc, readers, errorDoc is null ? "reader returned a null error document" : null);
        }
    }

    private void WriteError(IErrorDoc? errorDoc, string fileType, long startOffset, long endOffset, string? fallbackMessage,
        IDocument? unwritten = null) =>
        WriteError(errorDoc, fallbackMessage, unwritten,
            () => new Dictionary<string, string> { [fileType] = startOffset.ToString(CultureInfo.InvariantCulture) },
            () => new Dictionary<string, string> { [fileType] = endOffset.ToString(CultureInfo.InvariantCulture) });

    private void WriteError(IErrorDoc? errorDoc, IReadOnlyDictionary<string, SystemFileReader> readers, string? fallbackMessage,
        IDocument? unwritten = null) =>
        WriteError(errorDoc, fallbackMessage, unwritten,
            () => readers.ToDictionary(r => r.Key, r => r.Value.LastRecordStartOffsetText),
            () => readers.ToDictionary(r => r.Key, r => r.Value.OffsetBytes));

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
}

using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Engine;

/// <summary>Loops shared by reader types: streams and tables read in batches, state-machine readers called until Completed.</summary>
internal static class ReaderLoops
{
    private const int MaxResultsWithoutProgress = 100;

    /// <summary>
    /// Reads a shard or scan segment batch by batch on the task's thread, handing each record to
    /// <paramref name="handle"/> until it returns true (stop) or the reader has no more; disposes the reader.
    /// </summary>
    public static void ReadInBatches<T>(IAsyncDisposable reader, Func<List<T>, CancellationToken, ValueTask<bool>> read,
        CancellationToken cancellationToken, Func<T, bool> handle)
    {
        var batch = new List<T>();
        try
        {
            var more = true;
            while (more)
            {
                batch.Clear();
                more = read(batch, cancellationToken).AsTask().GetAwaiter().GetResult();
                foreach (var record in batch)
                {
                    if (handle(record))
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>A state-machine reader's position: each file's committed state, the record types and document it was last handed.</summary>
    public static TaskCheckpoint ReaderPosition(IReadOnlyDictionary<string, SystemFileReader> readers,
        IReadOnlyDictionary<string, string?> lastRecordTypes, IDocument? lastDocument, PluginCallSite call)
    {
        var files = new Dictionary<string, FileCheckpoint>(readers.Count, StringComparer.Ordinal);
        foreach (var (fileType, reader) in readers)
        {
            files[fileType] = reader.Checkpoint();
        }

        call.Enter("IDocument.Serialize (the checkpoint's last document)");
        var document = CheckpointedDocument.Of(lastDocument);
        call.Exit();
        return new TaskCheckpoint { Files = files, LastRecordTypes = new Dictionary<string, string?>(lastRecordTypes), LastDocument = document };
    }

    /// <summary>
    /// Calls the reader until it reports Completed with no document. A reader that keeps returning results without
    /// consuming a record would spin forever; it fails the task instead.
    /// </summary>
    public static void RunCompositeLoop(ReaderTask run,
        IReadOnlyDictionary<string, SystemFileReader> readers, string method, Func<ParseCompositeDocumentResult?> parseNext)
    {
        var withoutProgress = 0;
        while (true)
        {
            var consumedBefore = ConsumedRecords(readers);
            run.CallSite.Enter(method);
            var result = parseNext();
            run.CallSite.Exit();
            if (result is { ReaderState: SingleFileReaderState.Completed, Document: null })
            {
                return;
            }

            run.Dispatcher.Dispatch(result, readers);
            if (run.AfterResult())
            {
                return;
            }

            withoutProgress = ConsumedRecords(readers) == consumedBefore ? withoutProgress + 1 : 0;
            if (withoutProgress >= MaxResultsWithoutProgress)
            {
                throw new PluginContractException(
                    $"plugin {run.CallSite.PluginName}: {method} returned {withoutProgress} results in a row without consuming a record and without reporting Completed");
            }
        }
    }

    private static long ConsumedRecords(IReadOnlyDictionary<string, SystemFileReader> readers)
    {
        long total = 0;
        foreach (var reader in readers.Values)
        {
            total += reader.ConsumedRecords;
        }

        return total;
    }
}

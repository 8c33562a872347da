using System.Buffers;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// The Single File Reader's loop for a parser that answers a batch of records per call (a bridge host). It differs
/// from the per-record loop only in reading ahead, so checkpoints must not run ahead of what was dispatched.
/// </summary>
internal static class BatchedSingleFileLoop
{
    public static void Run(IBatchingSingleFileParser parser, string fileType, string fileName, TaskInput input,
        RecordParseHint start, RecordParseHint end, ReaderTask run)
    {
        var (state, dispatcher) = (run.State, run.Dispatcher);
        var scanner = input.Scanner;
        var call = state.CallSite;
        // The scanner runs up to a batch ahead: a checkpoint names the end of the last record dispatched, not the cursor.
        var dispatched = scanner.Position;
        run.Checkpointer.Position = () => new TaskCheckpoint
        {
            Files = new Dictionary<string, FileCheckpoint>
            {
                [fileType] = new(dispatched, Compressed: input.IsGzip, Member: input.RestartPointFor(dispatched)),
            },
        };
        var batch = new List<BatchedRecord>(parser.BatchRecords);
        // The scanner reuses its buffer, so a batch's records are copied into one buffer reused by every batch (no
        // array per record). A record's memory stays valid through the batch even when the buffer grows: growing
        // copies into a new array and leaves the old one, with the records already taken, to the collector.
        var records = new ArrayBufferWriter<byte>(64 * 1024);
        while (true)
        {
            batch.Clear();
            records.ResetWrittenCount();
            while (batch.Count < parser.BatchRecords && records.WrittenCount < parser.BatchBytes
                && scanner.TryReadRecord(start, end, out var offset, out var record))
            {
                var copy = records.GetMemory(record.Length)[..record.Length];
                record.CopyTo(copy.Span);
                records.Advance(record.Length);
                batch.Add(new BatchedRecord(offset, copy, scanner.Position, scanner.TakeBlankRecords()));
            }

            if (batch.Count == 0)
            {
                break;
            }

            call.Enter("ISingleFileParser.ParseDocument", fileType, fileName, batch[0].Offset);
            var results = parser.ParseDocuments(fileType, fileName, batch);
            call.Exit();
            if (results.Count != batch.Count)
            {
                throw new PluginContractException($"{results.Count} results for a batch of {batch.Count} records");
            }

            for (var i = 0; i < batch.Count; i++)
            {
                state.Counters.Records++;
                state.Counters.Skips += batch[i].BlankRecordsBefore;
                call.At(fileType, fileName, batch[i].Offset);
                dispatcher.Dispatch(results[i], fileType, batch[i].Offset, batch[i].End);
                dispatched = batch[i].End;
                if (run.AfterResult())
                {
                    return;
                }
            }

            call.At(fileType, fileName, scanner.Position);
        }

        state.Counters.Skips += scanner.TakeBlankRecords();
    }
}

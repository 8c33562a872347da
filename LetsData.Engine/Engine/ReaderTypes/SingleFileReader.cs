using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine.Checkpoints;

namespace LetsData.Runtime.Engine;

/// <summary>"Single File Reader": the runtime loops over the file and calls the parser per record.</summary>
public sealed record SingleFileReaderBinding(string PluginName, Func<ISingleFileParser> CreateParser)
    : ReaderBinding(PluginName)
{
    public override string ReaderTypeName => "Single File Reader";

    internal override void Run(ReaderTask run)
    {
        var call = run.State.CallSite;
        call.Enter("ISingleFileParser constructor");
        var parser = CreateParser();
        try
        {
            call.InterruptsItself = parser is Bridge.ITaskScopedParser;
            Run(run, parser);
        }
        finally
        {
            // A task's V8 isolate ends with the task; other parsers are the plugin's own to keep or drop.
            (parser as Bridge.ITaskScopedParser)?.Dispose();
        }
    }

    private void Run(ReaderTask run, ISingleFileParser parser)
    {
        var (task, resume, state, dispatcher) = (run.Task, run.Resume, run.State, run.Dispatcher);
        var call = state.CallSite;
        call.Enter("ISingleFileParser.S3FileType");
        var fileType = parser.S3FileType;
        var file = TaskManifestChecks.SingleFileOf(task, fileType);
        call.Enter("ISingleFileParser.GetResolvedS3FileName");
        var fileName = parser.GetResolvedS3FileName(fileType, file.FileName);
        call.Enter("ISingleFileParser.GetRecordStartPattern", fileType, fileName, 0);
        var start = parser.GetRecordStartPattern(fileType);
        call.Enter("ISingleFileParser.GetRecordEndPattern");
        var end = parser.GetRecordEndPattern(fileType);
        call.Exit();
        if (start is null || end is null)
        {
            throw new PluginContractException($"plugin {PluginName}: the {fileType} parser returned a null record hint");
        }

        var input = state.Open(run.Sources.RequireFiles(), fileType, fileName, run.Options.MaxRecordBytes, resume?.Files?.GetValueOrDefault(fileType));
        if (parser is Bridge.IBatchingSingleFileParser batching)
        {
            Bridge.BatchedSingleFileLoop.Run(batching, fileType, fileName, input, start, end, run); // many records per call
            return;
        }

        var scanner = input.Scanner;
        // No state machine: the scanner's cursor (where the next record search starts) is the whole position.
        run.Checkpointer.Position = () => new TaskCheckpoint
        {
            Files = new Dictionary<string, FileCheckpoint>
            {
                [fileType] = new(scanner.Position, Compressed: input.IsGzip, Member: input.RestartPointFor(scanner.Position)),
            },
        };
        while (scanner.TryReadRecord(start, end, out var offset, out var record))
        {
            state.Counters.Records++;
            // Blank records passed over before this one are skips, counted now so that a checkpoint after it has them.
            state.Counters.Skips += scanner.TakeBlankRecords();
            call.Enter("ISingleFileParser.ParseDocument", fileType, fileName, offset);
            var result = parser.ParseDocument(fileType, fileName, offset, record);
            call.Exit();
            dispatcher.Dispatch(result, fileType, offset, scanner.Position);
            if (run.AfterResult())
            {
                return;
            }

            call.At(fileType, fileName, scanner.Position);
        }

        state.Counters.Skips += scanner.TakeBlankRecords();
    }
}

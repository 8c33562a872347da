using System.Diagnostics;
using System.Globalization;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.DynamoDB;
using LetsData.Runtime.Reading.Kinesis;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Engine;

/// <summary>
/// Runs one task on the calling thread: creates the task's plugin objects, opens its files, loops over records or
/// reader results, dispatches them, and ends the task COMPLETED or ERRORED. Any exception, from plugin code or from
/// unusable input, fails this task only — with a message naming the plugin call, file and offset — after everything
/// good before it has been written.
/// </summary>
internal sealed class TaskRunner(
    string datasetName,
    IReaderBindingProvider bindings,
    RecordSources sources,
    IDocumentSinkFactory documentSinks,
    IErrorSinkFactory errorSinks,
    EngineOptions options,
    RunProgress progress)
{
    private const int CheckEveryRecords = 1024;
    private const int MaxResultsWithoutProgress = 100;

    public string DatasetName => datasetName;

    public TaskResult Run(RunningTask running, ITaskLedger ledger, CancellationToken cancellationToken)
    {
        var assignment = running.Assignment;
        var task = assignment.Task;
        // Leased for the whole task and released only after its output is complete: a hot update makes new tasks
        // use the new plugin version while this one finishes on the version it started with.
        using var lease = bindings.Acquire();
        var binding = lease.Binding;
        var stopwatch = Stopwatch.StartNew();
        var context = new TaskContext(datasetName, task.TaskId, FileNamesOf(task));
        var (documents, errors, restartedBecause) = OpenOutputs(context, ref assignment);
        var checkpointer = new TaskCheckpointer(ledger, assignment, options, OutputKinds);
        var state = new TaskState(binding.PluginName, progress, cancellationToken, options, running, checkpointer, documents, errors);
        running.CallSite = state.CallSite;
        var resume = assignment.ResumeFrom;
        string? error = null;
        var stoppedAtCheckpoint = false;
        var ownershipLost = false;
        string? pluginException = null;
        using (documents)
        using (errors)
        {
            var dispatcher = new ResultDispatcher(context, documents, errors, state.Counters, state.CallSite);
            try
            {
                if (restartedBecause is not null)
                {
                    // Left in the task's record, that checkpoint would outlive this attempt's first writes: an attempt
                    // resuming from it later would take this one's output, cut at the checkpoint's length, for its own.
                    ledger.DropCheckpoint(assignment);
                }

                switch (binding)
                {
                    case SingleFileReaderBinding single:
                        RunSingleFileReader(single, task, resume, state, dispatcher);
                        break;
                    case SingleFileStateMachineReaderBinding stateMachine:
                        RunSingleFileStateMachineReader(stateMachine, task, resume, state, dispatcher);
                        break;
                    case MultipleFileStateMachineReaderBinding multiple:
                        RunMultipleFileStateMachineReader(multiple, task, resume, state, dispatcher);
                        break;
                    case KinesisRecordReaderBinding kinesis:
                        RunKinesisRecordReader(kinesis, task, resume, state, dispatcher, cancellationToken);
                        break;
                    case DynamoDBTableItemReaderBinding table:
                        RunDynamoDBTableItemReader(table, task, resume, state, dispatcher, cancellationToken);
                        break;
                    default:
                        throw new InvalidOperationException($"unsupported reader binding {binding.GetType().Name}");
                }

                // The last checkpoint started must be stored (or have failed) before the outputs are made final.
                checkpointer.Drain();
            }
            catch (TaskStoppedAtCheckpointException)
            {
                // Time box or stop request: the outputs stay as they are, the next attempt continues them.
                stoppedAtCheckpoint = true;
            }
            catch (TaskOwnershipLostException e)
            {
                // Another worker runs the task now: nothing more may be written for it, not even an error record.
                error = e.Message;
                ownershipLost = true;
            }
            catch (Exception e)
            {
                error = e is OperationCanceledException && cancellationToken.IsCancellationRequested ? "cancelled before it finished"
                    : e is TaskLimitException ? e.Message
                    : state.CallSite.Describe(e);
                pluginException = state.CallSite.InPluginCall && e is not (TaskLimitException or PluginContractException) ? e.ToString() : null;
                TryRecordTaskError(dispatcher, error, state.CallSite, e);
            }
            finally
            {
                // A plugin call that threw never exited: the watchdog would take the clean-up below (ending the outputs
                // can take a while) for that call hanging, and abandon the task with a made-up error.
                state.CallSite.Exit();
                checkpointer.DrainQuietly();
                state.CloseInputs();
            }

            if (!stoppedAtCheckpoint && !ownershipLost)
            {
                (error, ownershipLost) = EndOutputs(ledger, assignment, documents, errors, error);
            }
        }

        state.Publish(final: true);
        var status = error is not null ? DataTaskStatus.Errored : stoppedAtCheckpoint ? DataTaskStatus.Rerun : DataTaskStatus.Completed;
        return new TaskResult(task.TaskId, status, error, state.Counters.Snapshot(), stopwatch.Elapsed)
        {
            Warnings = state.Warnings,
            Checkpoint = checkpointer.Last,
            CheckpointsSaved = checkpointer.Saved,
            RestartedBecause = restartedBecause,
            OwnershipLost = ownershipLost,
            PluginException = pluginException,
        };
    }

    /// <summary>The checkpoint ids of the write and error connectors, which a checkpoint's output positions belong to.</summary>
    private string OutputKinds => CheckpointOutputs.Of(documentSinks.CheckpointId, errorSinks.CheckpointId);

    /// <summary>
    /// Opens the task's writers, continuing the checkpoint's outputs when resuming. An output that cannot be continued
    /// (removed or cut short since) makes the task start over from the beginning: slower, but nothing is lost.
    /// </summary>
    private (IDocumentSink Documents, IErrorSink Errors, string? RestartedBecause) OpenOutputs(TaskContext context, ref TaskAssignment assignment)
    {
        if (assignment.ResumeFrom is { } other && CheckpointOutputs.Current(other.Outputs) != OutputKinds)
        {
            assignment = assignment with { ResumeFrom = null };
            return (documentSinks.Open(context), errorSinks.Open(context),
                $"checkpoint {other.Number} not used: it continues outputs of {other.Outputs ?? "unknown writers"}, the dataset now writes with {OutputKinds}");
        }

        if (assignment.ResumeFrom is { } resume)
        {
            IDocumentSink? documents = null;
            try
            {
                var resumed = context with { Resume = new OutputResume(resume.DocumentsOutput, resume.ErrorsOutput) };
                documents = documentSinks.Open(resumed);
                return (documents, errorSinks.Open(resumed), null);
            }
            catch (OutputResumeException e)
            {
                documents?.Dispose();
                assignment = assignment with { ResumeFrom = null };
                return (documentSinks.Open(context), errorSinks.Open(context), $"checkpoint {resume.Number} not used: {e.Message}");
            }
            catch
            {
                // The error writer failed otherwise (e.g. S3 refused a call): the task fails, and the document writer
                // opened already must not keep its buffer or a new upload.
                documents?.Dispose();
                throw;
            }
        }

        return (documentSinks.Open(context), errorSinks.Open(context), null);
    }

    /// <summary>Makes the outputs final (completed, or errored when <paramref name="error"/> is set) if the task is still this worker's.</summary>
    private static (string? Error, bool OwnershipLost) EndOutputs(ITaskLedger ledger, TaskAssignment assignment, IDocumentSink documents,
        IErrorSink errors, string? error)
    {
        try
        {
            ledger.ConfirmOwnership(assignment);
        }
        catch (TaskOwnershipLostException e)
        {
            return (error is null ? e.Message : $"{error}; then {e.Message}", true);
        }

        error ??= TryComplete(documents, errors, succeeded: true);
        if (error is not null && TryComplete(documents, errors, succeeded: false) is { } alsoFailed)
        {
            // Keeping the errored task's good output failed too: say so, the output may be missing or misnamed.
            error = $"{error}; then {alsoFailed}";
        }

        return (error, false);
    }

    private static void TryRecordTaskError(ResultDispatcher dispatcher, string error, PluginCallSite callSite, Exception exception)
    {
        try
        {
            // Unusable input names its own offset (a record's start, where a read failed), which the message gives; the
            // call site is still at the last record or the file's start.
            var offset = exception is InputReadException input ? input.Offset : callSite.Offset;
            dispatcher.WriteTaskError(error, callSite.FileType, offset);
        }
        catch (Exception)
        {
            // The task result carries the error too; a broken error destination must not hide it.
        }
    }

    /// <summary>
    /// Makes each output final on its own: error records that cannot be (disk full) must not keep the documents from
    /// their errored name, nor documents that cannot be keep the error records, which may say why, from being kept.
    /// The error records go first, so that when they fail the documents are still made final as errored; the other way
    /// round (documents that fail after the error records ended) leaves the error records under the completed name.
    /// </summary>
    private static string? TryComplete(IDocumentSink documents, IErrorSink errors, bool succeeded)
    {
        var errorsFailed = TryComplete(errors.Complete, succeeded);
        var documentsFailed = errorsFailed is null || !succeeded ? TryComplete(documents.Complete, succeeded) : null;
        return (documentsFailed, errorsFailed) switch
        {
            (null, null) => null,
            ({ } documentsError, null) => $"writing the task's output failed: {documentsError}",
            (null, { } errorsError) => $"writing the task's error records failed: {errorsError}",
            ({ } documentsError, { } errorsError) => $"writing the task's output failed: {documentsError}; its error records too: {errorsError}",
        };
    }

    private static string? TryComplete(Action<bool> complete, bool succeeded)
    {
        try
        {
            complete(succeeded);
            return null;
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }

    private static IReadOnlyDictionary<string, string> FileNamesOf(DataTaskDefinition task)
    {
        if (task.Partition is { } partition)
        {
            return partition.Kind == SourcePartitionKind.ScanSegment
                ? new Dictionary<string, string> { ["table"] = partition.Source, ["segment"] = partition.Id }
                : new Dictionary<string, string> { ["stream"] = partition.Source, ["shard"] = partition.Id };
        }

        // Built before the task's try block: a type named twice must not throw here (the task fails on it later).
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in task.Files)
        {
            names.TryAdd(file.FileType ?? "file", file.FileName);
        }

        return names;
    }

    private void RunSingleFileReader(SingleFileReaderBinding single, DataTaskDefinition task, TaskCheckpoint? resume, TaskState state,
        ResultDispatcher dispatcher)
    {
        var call = state.CallSite;
        call.Enter("ISingleFileParser constructor");
        var parser = single.CreateParser();
        call.Enter("ISingleFileParser.S3FileType");
        var fileType = parser.S3FileType;
        var file = SingleFileOf(task, fileType);
        call.Enter("ISingleFileParser.GetResolvedS3FileName");
        var fileName = parser.GetResolvedS3FileName(fileType, file.FileName);
        call.Enter("ISingleFileParser.GetRecordStartPattern", fileType, fileName, 0);
        var start = parser.GetRecordStartPattern(fileType);
        call.Enter("ISingleFileParser.GetRecordEndPattern");
        var end = parser.GetRecordEndPattern(fileType);
        call.Exit();
        if (start is null || end is null)
        {
            throw new PluginContractException($"plugin {single.PluginName}: the {fileType} parser returned a null record hint");
        }

        var input = state.Open(sources.RequireFiles(), fileType, fileName, options.MaxRecordBytes, resume?.Files?.GetValueOrDefault(fileType));
        var scanner = input.Scanner;
        // No state machine: the scanner's cursor (where the next record search starts) is the whole position.
        state.Checkpointer.Position = () => new TaskCheckpoint
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
            if (state.AfterResult())
            {
                return;
            }

            call.At(fileType, fileName, scanner.Position);
        }

        state.Counters.Skips += scanner.TakeBlankRecords();
    }

    private static ManifestFileRef SingleFileOf(DataTaskDefinition task, string fileType)
    {
        if (task.Files.Count != 1)
        {
            throw new InvalidOperationException(
                $"manifest line {task.LineNumber} names {task.Files.Count} files; this reader type reads one file per task");
        }

        var file = task.Files[0];
        if (file.FileType is not null && !string.Equals(file.FileType, fileType, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"manifest line {task.LineNumber} names file type {file.FileType}, but the parser reads {fileType}");
        }

        return file;
    }

    private void RunSingleFileStateMachineReader(SingleFileStateMachineReaderBinding stateMachine, DataTaskDefinition task,
        TaskCheckpoint? resume, TaskState state, ResultDispatcher dispatcher)
    {
        var call = state.CallSite;
        call.Enter("ISingleFileStateMachineReader constructor");
        var reader = stateMachine.CreateReader();
        call.Enter("ISingleFileStateMachineReader.S3FileType");
        var fileType = reader.S3FileType;
        var file = SingleFileOf(task, fileType);
        call.Enter("ISingleFileStateMachineReader.GetResolvedS3FileName");
        var fileName = reader.GetResolvedS3FileName(fileType, file.FileName);
        call.Enter("ISingleFileStateMachineReader.GetParser");
        var parser = reader.GetParser(fileType)
            ?? throw new PluginContractException($"plugin {stateMachine.PluginName}: GetParser returned null for file type {fileType}");
        call.Exit();
        var resumeAt = resume?.Files?.GetValueOrDefault(fileType);
        var fileReader = new SystemFileReader(fileType, fileName,
            state.Open(sources.RequireFiles(), fileType, fileName, options.MaxRecordBytes, resumeAt), parser, call, state.Counters, resumeAt);
        var readers = new Dictionary<string, SystemFileReader> { [fileType] = fileReader };
        var lastRecordType = resume?.LastRecordTypes?.GetValueOrDefault(fileType);
        IDocument? lastDocument = resume?.LastDocument;
        state.Checkpointer.Position = () => ReaderPosition(readers, new Dictionary<string, string?> { [fileType] = lastRecordType }, lastDocument, state.CallSite);
        RunCompositeLoop(state, dispatcher, readers, "ISingleFileStateMachineReader.ParseDocument", () =>
        {
            var result = reader.ParseDocument(fileType, lastRecordType, lastDocument, fileReader);
            lastDocument = result?.Document;
            lastRecordType = result?.LastProcessedRecordTypes?.GetValueOrDefault(fileType) ?? fileReader.LastRecordType;
            return result;
        });
    }

    private void RunMultipleFileStateMachineReader(MultipleFileStateMachineReaderBinding multiple, DataTaskDefinition task,
        TaskCheckpoint? resume, TaskState state, ResultDispatcher dispatcher)
    {
        var call = state.CallSite;
        call.Enter("IMultipleFileStateMachineReader constructor");
        var reader = multiple.CreateReader();
        call.Enter("IMultipleFileStateMachineReader.S3FileTypes");
        var fileTypes = reader.S3FileTypes
            ?? throw new PluginContractException($"plugin {multiple.PluginName}: S3FileTypes returned null");
        call.Exit();
        var manifestFiles = MultipleFilesOf(task, fileTypes);
        call.Enter("IMultipleFileStateMachineReader.GetResolvedS3FileNames");
        var resolved = reader.GetResolvedS3FileNames(manifestFiles);
        call.Enter("IMultipleFileStateMachineReader.GetParsers");
        var parsers = reader.GetParsers(fileTypes);
        call.Exit();
        var readers = new Dictionary<string, SystemFileReader>(StringComparer.Ordinal);
        foreach (var fileType in fileTypes)
        {
            var fileName = resolved?.GetValueOrDefault(fileType) ?? throw new PluginContractException(
                $"plugin {multiple.PluginName}: GetResolvedS3FileNames gave no file name for file type {fileType}");
            var parser = parsers?.GetValueOrDefault(fileType) ?? throw new PluginContractException(
                $"plugin {multiple.PluginName}: GetParsers gave no parser for file type {fileType}");
            var resumeAt = resume?.Files?.GetValueOrDefault(fileType);
            readers[fileType] = new SystemFileReader(fileType, fileName,
                state.Open(sources.RequireFiles(), fileType, fileName, options.MaxRecordBytes, resumeAt, decompressAhead: true),
                parser, call, state.Counters, resumeAt);
        }

        IReadOnlyDictionary<string, string?> lastRecordTypes = resume?.LastRecordTypes
            ?? fileTypes.ToDictionary(t => t, string? (_) => null);
        // The original platform starts the reader's state machine with a map of nulls, never a null map.
        call.Enter("IMultipleFileStateMachineReader.GetNextExpectedRecordTypes");
        reader.GetNextExpectedRecordTypes(lastRecordTypes);
        call.Exit();
        IDocument? lastDocument = resume?.LastDocument;
        state.Checkpointer.Position = () => ReaderPosition(readers, lastRecordTypes, lastDocument, state.CallSite);
        var fileReaders = readers.ToDictionary(r => r.Key, ISystemFileReader (r) => r.Value);
        RunCompositeLoop(state, dispatcher, readers, "IMultipleFileStateMachineReader.ParseDocument", () =>
        {
            var result = reader.ParseDocument(lastRecordTypes, lastDocument, fileReaders);
            lastDocument = result?.Document;
            lastRecordTypes = result?.LastProcessedRecordTypes
                ?? readers.ToDictionary(r => r.Key, r => r.Value.LastRecordType);
            return result;
        });
    }

    private void RunKinesisRecordReader(KinesisRecordReaderBinding kinesis, DataTaskDefinition task, TaskCheckpoint? resume,
        TaskState state, ResultDispatcher dispatcher, CancellationToken cancellationToken)
    {
        var partition = PartitionOf(task, SourcePartitionKind.KinesisShard);
        var call = state.CallSite;
        call.Enter("IKinesisRecordReader constructor");
        var reader = kinesis.CreateReader();
        call.Exit();
        var (streamArn, shardId) = (partition.Source, partition.Id);
        var lastSequenceNumber = resume?.SequenceNumber;
        var shard = sources.RequireKinesis().OpenShard(shardId, lastSequenceNumber);
        state.Checkpointer.Position = () => new TaskCheckpoint { SequenceNumber = lastSequenceNumber };
        ReadInBatches<KinesisRecord>(shard, shard.ReadAsync, cancellationToken, record =>
        {
            lastSequenceNumber = record.SequenceNumber;
            state.Counters.Records++;
            state.AddSourceBytes(record.Data.Length);
            call.Enter("IKinesisRecordReader.ParseMessage", "Kinesis shard", shardId, "sequence number", record.SequenceNumber);
            var result = reader.ParseMessage(streamArn, shardId, record.PartitionKey, record.SequenceNumber,
                record.ApproximateArrivalTimestamp, record.Data.Span);
            call.Exit();
            dispatcher.Dispatch(result, "sequenceNumber", record.SequenceNumber);
            return state.AfterResult();
        });
    }

    private void RunDynamoDBTableItemReader(DynamoDBTableItemReaderBinding table, DataTaskDefinition task, TaskCheckpoint? resume,
        TaskState state, ResultDispatcher dispatcher, CancellationToken cancellationToken)
    {
        var partition = PartitionOf(task, SourcePartitionKind.ScanSegment);
        var segment = int.Parse(partition.Id, NumberStyles.None, CultureInfo.InvariantCulture);
        var call = state.CallSite;
        call.Enter("IDynamoDBTableItemReader constructor");
        var reader = table.CreateReader();
        call.Exit();
        var source = sources.RequireDynamoDBTable();
        var scan = source.OpenSegment(segment, resume?.LastEvaluatedKey is { } startAfter ? DynamoDBKeyJson.Deserialize(startAfter) : null);
        var segmentName = $"{partition.Id} of table {partition.Source}";
        long index = 0;
        // An item's key is a valid exclusive start key of the scan: the checkpoint needs no page boundary.
        IReadOnlyDictionary<string, object?>? lastKeys = null;
        state.Checkpointer.Position = () => new TaskCheckpoint
        {
            LastEvaluatedKey = lastKeys is null ? resume?.LastEvaluatedKey : DynamoDBKeyJson.Serialize(lastKeys),
        };
        ReadInBatches<DynamoDBItem>(scan, scan.ReadAsync, cancellationToken, item =>
        {
            lastKeys = item.Keys;
            state.Counters.Records++;
            call.Enter("IDynamoDBTableItemReader.ParseDynamoDBItem", "DynamoDB scan segment", segmentName, "item", null, index++);
            var result = reader.ParseDynamoDBItem(source.TableName, segment, item.Keys, item.Item);
            call.Exit();
            dispatcher.Dispatch(result, item.Keys);
            return state.AfterResult();
        });
    }

    /// <summary>
    /// Reads a shard or scan segment batch by batch on the task's thread, handing each record to
    /// <paramref name="handle"/> until it returns true (stop) or the reader has no more; disposes the reader.
    /// </summary>
    private static void ReadInBatches<T>(IAsyncDisposable reader, Func<List<T>, CancellationToken, ValueTask<bool>> read,
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

    private static SourcePartition PartitionOf(DataTaskDefinition task, SourcePartitionKind kind) =>
        task.Partition is { } partition && partition.Kind == kind
            ? partition
            : throw new InvalidOperationException($"task {task.TaskId} is not a {kind} task; the reader type reads one {kind} per task");

    private static Dictionary<string, string> MultipleFilesOf(DataTaskDefinition task, IReadOnlySet<string> fileTypes)
    {
        var byType = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in task.Files)
        {
            var type = fileTypes.FirstOrDefault(t => string.Equals(t, file.FileType, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException(
                    $"manifest line {task.LineNumber} names file type '{file.FileType}', which the reader does not read (it reads {string.Join(", ", fileTypes)})");
            if (!byType.TryAdd(type, file.FileName))
            {
                throw new InvalidOperationException($"manifest line {task.LineNumber} names file type {type} twice");
            }
        }

        var missing = fileTypes.Where(t => !byType.ContainsKey(t)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"manifest line {task.LineNumber} has no file for type(s) {string.Join(", ", missing)}; expected TYPE:name|TYPE:name for {string.Join(", ", fileTypes)}");
        }

        return byType;
    }

    /// <summary>A state-machine reader's position: each file's committed state, the record types and document it was last handed.</summary>
    private static TaskCheckpoint ReaderPosition(IReadOnlyDictionary<string, SystemFileReader> readers,
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
    private void RunCompositeLoop(TaskState state, ResultDispatcher dispatcher,
        IReadOnlyDictionary<string, SystemFileReader> readers, string method, Func<ParseCompositeDocumentResult?> parseNext)
    {
        var withoutProgress = 0;
        while (true)
        {
            var consumedBefore = ConsumedRecords(readers);
            state.CallSite.Enter(method);
            var result = parseNext();
            state.CallSite.Exit();
            if (result is { ReaderState: SingleFileReaderState.Completed, Document: null })
            {
                return;
            }

            dispatcher.Dispatch(result, readers);
            if (state.AfterResult())
            {
                return;
            }

            withoutProgress = ConsumedRecords(readers) == consumedBefore ? withoutProgress + 1 : 0;
            if (withoutProgress >= MaxResultsWithoutProgress)
            {
                throw new PluginContractException(
                    $"plugin {state.CallSite.PluginName}: {method} returned {withoutProgress} results in a row without consuming a record and without reporting Completed");
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

    /// <summary>A limit of the engine stopped the task (allocation ceiling, abandoned after a timeout); the message says which.</summary>
    private sealed class TaskLimitException(string message) : Exception(message);

    /// <summary>The task stopped right after a checkpoint (time box, stop request): it ends as RERUN, to be continued.</summary>
    private sealed class TaskStoppedAtCheckpointException : Exception;

    /// <summary>Per-task bookkeeping: counters, the call site, opened inputs, progress publication, limits.</summary>
    private sealed class TaskState(
        string pluginName, RunProgress progress, CancellationToken cancellationToken, EngineOptions options, RunningTask running,
        TaskCheckpointer checkpointer, IDocumentSink documents, IErrorSink errors)
    {
        // Allocation is checked this often: reading the thread's counter is cheap, but not free on the hot path.
        private const int CheckAllocationEveryResults = 16;

        private readonly long _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
        private readonly List<TaskInput> _inputs = [];
        private List<string>? _warnings;
        private long _results;
        private bool _closed;
        private long _publishedRecords;
        private long _publishedDocuments;
        private long _publishedErrors;
        private long _publishedSkips;
        private long _publishedBytes;
        private long _sourceBytes;

        public TaskCounters Counters { get; } = new();

        /// <summary>What the task's files said about themselves at their end (shrank, held no record); set by <see cref="CloseInputs"/>.</summary>
        public IReadOnlyList<string> Warnings => _warnings ?? [];

        public PluginCallSite CallSite { get; } = new(pluginName);
        public TaskCheckpointer Checkpointer => checkpointer;

        public TaskInput Open(IFileSource files, string fileType, string fileName, int maxRecordBytes, FileCheckpoint? resumeAt,
            bool decompressAhead = false)
        {
            var offset = resumeAt?.Offset ?? 0;
            CallSite.At(fileType, files.Describe(fileName), offset);
            var input = TaskInput.OpenAsync(files, fileName, maxRecordBytes, decompressAhead, resumeAt, cancellationToken)
                .AsTask().GetAwaiter().GetResult();
            _inputs.Add(input);
            CallSite.At(fileType, fileName, offset);
            return input;
        }

        /// <summary>Counts a result; returns true when the task should stop early (result limit).</summary>
        public bool AfterResult()
        {
            _results++;
            if (running.IsAbandoned)
            {
                // The watchdog gave up on a call of this task and reported it; nothing more may be written for it.
                throw new TaskLimitException("abandoned after a plugin call timed out; its late results were dropped");
            }

            if (_results % CheckAllocationEveryResults == 0 && options.MaxTaskAllocatedBytes is { } maxAllocated)
            {
                var allocated = GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;
                if (allocated > maxAllocated)
                {
                    throw new TaskLimitException(
                        $"{CallSite.DescribeCall()}: the task allocated {allocated:N0} bytes, over maxTaskAllocatedBytes {maxAllocated:N0}");
                }
            }

            if (checkpointer.IsDue(Counters.Records))
            {
                if (!checkpointer.TimeBoxExpired)
                {
                    checkpointer.TryStart(documents, errors, Counters);
                }
                else if (checkpointer.TrySaveNow(documents, errors, Counters))
                {
                    throw new TaskStoppedAtCheckpointException();
                }
            }

            if (_results % CheckEveryRecords == 0)
            {
                if (cancellationToken.IsCancellationRequested && checkpointer.TrySaveNow(documents, errors, Counters))
                {
                    // A stop request between two results: the task ends at a checkpoint and the next run goes on from it.
                    throw new TaskStoppedAtCheckpointException();
                }

                cancellationToken.ThrowIfCancellationRequested();
                Publish();
            }

            return _results >= options.MaxResultsPerTask;
        }

        /// <summary>Counts payload bytes of stream and table records (file tasks count their scanners' positions).</summary>
        public void AddSourceBytes(long bytes) => _sourceBytes += bytes;

        public void Publish(bool final = false)
        {
            if (final)
            {
                Counters.AllocatedBytes = GC.GetAllocatedBytesForCurrentThread() - _allocatedAtStart;
            }

            Counters.BytesScanned = _sourceBytes;
            foreach (var input in _inputs)
            {
                Counters.BytesScanned += input.BytesScanned;
            }

            progress.Add(Counters.Records - _publishedRecords, Counters.Documents - _publishedDocuments,
                Counters.Errors - _publishedErrors, Counters.Skips - _publishedSkips, Counters.BytesScanned - _publishedBytes);
            (_publishedRecords, _publishedDocuments, _publishedErrors, _publishedSkips, _publishedBytes) =
                (Counters.Records, Counters.Documents, Counters.Errors, Counters.Skips, Counters.BytesScanned);
        }

        /// <summary>Closes the task's files; their scanners keep their final positions for the counters.</summary>
        public void CloseInputs()
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            foreach (var input in _inputs)
            {
                Counters.BytesRead += input.RawBytesRead;
                if (input.EndOfFileWarning() is { } warning)
                {
                    (_warnings ??= []).Add(warning);
                }

                try
                {
                    input.DisposeAsync().AsTask().GetAwaiter().GetResult();
                }
                catch (Exception)
                {
                    // Closing a file that failed to read fails again; the task already carries the first error.
                }
            }
        }
    }
}

using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Engine.Vectorization;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Engine;

/// <summary>
/// Runs one task on the calling thread — what every reader type shares: opens the task's outputs, runs the reader
/// type's loop (<see cref="ReaderBinding"/>) under the task's <see cref="TaskGovernor"/>, and ends the task COMPLETED,
/// RERUN or ERRORED. Any exception, from plugin code or from unusable input, fails this task only — with a message
/// naming the plugin call, file and offset — after everything good before it has been written.
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
    private readonly TaskOutputs _outputs = new(documentSinks, errorSinks);

    public string DatasetName => datasetName;

    public TaskResult Run(RunningTask running, ITaskLedger ledger, CancellationToken cancellationToken)
    {
        var assignment = running.Assignment;
        var task = assignment.Task;
        // Leased for the whole task and released only after its output is complete: a hot update makes new tasks
        // use the new plugin version while this one finishes on the version it started with.
        using var lease = bindings.Acquire();
        var binding = lease.Binding;
        var startedAt = options.Time.GetTimestamp();
        var context = new TaskContext(datasetName, task.TaskId, TaskManifestChecks.FileNamesOf(task)) { OutputName = Writing.TaskOutputName.Of(task) };
        var (documents, errors, restartedBecause) = _outputs.Open(context, ref assignment);
        var checkpointer = new TaskCheckpointer(ledger, assignment, options, _outputs.Kinds);
        var state = new TaskState(binding.PluginName, progress, cancellationToken);
        var governor = new TaskGovernor(state, options, running, checkpointer, documents, errors, cancellationToken);
        running.CallSite = state.CallSite;
        string? error = null;
        var stoppedAtCheckpoint = false;
        var ownershipLost = false;
        string? pluginException = null;
        using (documents)
        using (errors)
        {
            var dispatcher = new ResultDispatcher(context, documents, errors, state.Counters, state.CallSite,
                VectorizationStage.For(binding, options, state.CallSite, cancellationToken));
            checkpointer.BeforeCheckpoint = dispatcher.FlushVectorization;
            try
            {
                if (restartedBecause is not null)
                {
                    // Left in the task's record, that checkpoint would outlive this attempt's first writes: an attempt
                    // resuming from it later would take this one's output, cut at the checkpoint's length, for its own.
                    ledger.DropCheckpoint(assignment);
                }

                binding.Run(new ReaderTask(task, assignment.ResumeFrom, state, governor, checkpointer, dispatcher, sources, options,
                    cancellationToken));
                dispatcher.FlushVectorization();

                // Time box or stop request: the outputs stay as they are, the next attempt continues them. Otherwise the
                // last checkpoint started must be stored (or have failed) before the outputs are made final.
                stoppedAtCheckpoint = governor.StoppedAtCheckpoint;
                checkpointer.Drain();
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
                (error, ownershipLost) = TaskOutputs.End(ledger, assignment, documents, errors, error);
            }
        }

        state.Publish(final: true);
        var status = error is not null ? DataTaskStatus.Errored : stoppedAtCheckpoint ? DataTaskStatus.Rerun : DataTaskStatus.Completed;
        return new TaskResult(task.TaskId, status, error, state.Counters.Snapshot(), options.Time.GetElapsedTime(startedAt))
        {
            Warnings = state.Warnings,
            Checkpoint = checkpointer.Last,
            CheckpointsSaved = checkpointer.Saved,
            RestartedBecause = restartedBecause,
            OwnershipLost = ownershipLost,
            PluginException = pluginException,
        };
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
}

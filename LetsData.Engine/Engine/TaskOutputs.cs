using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Engine;

/// <summary>
/// A task's write and error outputs: opened (continuing a checkpoint's when resuming) and made final when the task
/// ends. The sinks' checkpoint ids name the outputs in checkpoints.
/// </summary>
internal sealed class TaskOutputs(IDocumentSinkFactory documentSinks, IErrorSinkFactory errorSinks)
{
    /// <summary>The checkpoint ids of the write and error connectors, which a checkpoint's output positions belong to.</summary>
    public string Kinds => CheckpointOutputs.Of(documentSinks.CheckpointId, errorSinks.CheckpointId);

    /// <summary>
    /// Opens the task's writers, continuing the checkpoint's outputs when resuming. An output that cannot be continued
    /// (removed or cut short since) makes the task start over from the beginning: slower, but nothing is lost.
    /// </summary>
    public (IDocumentSink Documents, IErrorSink Errors, string? RestartedBecause) Open(TaskContext context, ref TaskAssignment assignment)
    {
        if (assignment.ResumeFrom is { } other && CheckpointOutputs.Current(other.Outputs) != Kinds)
        {
            assignment = assignment with { ResumeFrom = null };
            return (documentSinks.Open(context), errorSinks.Open(context),
                $"checkpoint {other.Number} not used: it continues outputs of {other.Outputs ?? "unknown writers"}, the dataset now writes with {Kinds}");
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
    public static (string? Error, bool OwnershipLost) End(ITaskLedger ledger, TaskAssignment assignment, IDocumentSink documents,
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
}

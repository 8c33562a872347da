using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing;

/// <summary>The error connector's per-task writer. Called from the task's thread only.</summary>
public interface IErrorSink : IDisposable
{
    void Write(ErrorRecord record);

    /// <summary>Makes everything written durable and marks the task's error output complete or errored.</summary>
    void Complete(bool succeeded);

    /// <summary>As <see cref="IDocumentSink.TryCheckpoint"/>, for the error output.</summary>
    bool TryCheckpoint(out string? position)
    {
        position = null;
        return false;
    }

    /// <summary>As <see cref="IDocumentSink.MakeDurable"/>, for the error output.</summary>
    void MakeDurable()
    {
    }
}

/// <summary>Opens an error connector's writer for one task.</summary>
public interface IErrorSinkFactory
{
    /// <summary>As <see cref="IDocumentSinkFactory.CheckpointId"/>, for the error connector.</summary>
    string CheckpointId { get; }

    IErrorSink Open(TaskContext task);
}

using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing;

/// <summary>The write connector's per-task writer. Called from the task's thread only.</summary>
public interface IDocumentSink : IDisposable
{
    /// <summary>Writes one document; <paramref name="serialized"/> is its <c>Serialize()</c> result.</summary>
    void Write(IDocument document, string serialized);

    /// <summary>Makes everything written durable and marks the task's output complete or errored.</summary>
    void Complete(bool succeeded);
}

/// <summary>Opens a write connector's writer for one task.</summary>
public interface IDocumentSinkFactory
{
    IDocumentSink Open(TaskContext task);
}

using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing;

/// <summary>The write connector's per-task writer. Called from the task's thread only.</summary>
public interface IDocumentSink : IDisposable
{
    /// <summary>
    /// Writes one document; <paramref name="serialized"/> is its serialized form as UTF-8 (the encoding of its
    /// <c>Serialize()</c> result), valid only during the call: a sink that keeps the bytes copies them.
    /// </summary>
    void Write(IDocument document, ReadOnlySpan<byte> serialized);

    /// <summary>Makes everything written durable and marks the task's output complete or errored.</summary>
    void Complete(bool succeeded);

    /// <summary>
    /// For a checkpoint: hands everything written so far to the destination and gives the position a resumed task's
    /// writer continues from (<see cref="TaskContext.Resume"/>; null when it needs none, e.g. an idempotent or
    /// append-only destination). False when this writer cannot continue an earlier attempt's output: the task then
    /// takes no mid-task checkpoints and a failed task starts again from the beginning, replacing its output.
    /// </summary>
    bool TryCheckpoint(out string? position)
    {
        position = null;
        return false;
    }

    /// <summary>
    /// Makes what <see cref="TryCheckpoint"/> handed over durable (a file's fsync). Called on another thread while the
    /// task goes on writing (the checkpoint is stored only after it returns), and before the writer completes.
    /// </summary>
    void MakeDurable()
    {
    }
}

/// <summary>Opens a write connector's writer for one task.</summary>
public interface IDocumentSinkFactory
{
    /// <summary>
    /// The connector's stable name in checkpoints (e.g. <c>localfiles</c>): a checkpoint continues only outputs of the
    /// same id. A constant, never a CLR type name, so that renaming a class keeps stored checkpoints usable.
    /// </summary>
    string CheckpointId { get; }

    IDocumentSink Open(TaskContext task);
}

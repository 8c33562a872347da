using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing;

/// <summary>Writes nowhere: for benchmarks (engine cost without I/O) and for the smoke run of <c>validate</c>.</summary>
public sealed class DiscardingSinkFactory : IDocumentSinkFactory, IErrorSinkFactory
{
    public static DiscardingSinkFactory Instance { get; } = new();

    /// <summary>Nothing to continue: a checkpoint of discarded output resumes only as discarded output.</summary>
    public string CheckpointId => "discard";

    IDocumentSink IDocumentSinkFactory.Open(TaskContext task) => DiscardingSink.Instance;
    IErrorSink IErrorSinkFactory.Open(TaskContext task) => DiscardingSink.Instance;

    private sealed class DiscardingSink : IDocumentSink, IErrorSink
    {
        public static readonly DiscardingSink Instance = new();

        public void Write(IDocument document, ReadOnlySpan<byte> serialized) { }
        public void Write(ErrorRecord record) { }
        public void Complete(bool succeeded) { }

        public bool TryCheckpoint(out string? position)
        {
            position = null;
            return true;
        }
        public void Dispose() { }
    }
}

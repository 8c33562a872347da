using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Writing;

namespace LetsData.Integration.Tests.Support;

/// <summary>Write and error destinations that keep what the engine writes in memory, per task.</summary>
internal sealed class CapturingSinks : IDocumentSinkFactory, IErrorSinkFactory
{
    private readonly List<Sink> _sinks = [];

    public string CheckpointId => "memory";

    public IDocumentSink Open(TaskContext task) => Add(task);
    IErrorSink IErrorSinkFactory.Open(TaskContext task) => Add(task);

    /// <summary>The serialized documents, in task order.</summary>
    public IReadOnlyList<string> Serialized
    {
        get
        {
            lock (_sinks)
            {
                return _sinks.OrderBy(s => s.TaskId, StringComparer.Ordinal).SelectMany(s => s.Documents).ToList();
            }
        }
    }

    public IReadOnlyList<ErrorRecord> Errors
    {
        get
        {
            lock (_sinks)
            {
                return _sinks.OrderBy(s => s.TaskId, StringComparer.Ordinal).SelectMany(s => s.Errors).ToList();
            }
        }
    }

    private Sink Add(TaskContext task)
    {
        var sink = new Sink(task.TaskId);
        lock (_sinks)
        {
            _sinks.Add(sink);
        }

        return sink;
    }

    private sealed class Sink(string taskId) : IDocumentSink, IErrorSink
    {
        public string TaskId { get; } = taskId;
        public List<string> Documents { get; } = [];
        public List<ErrorRecord> Errors { get; } = [];

        public void Write(IDocument document, ReadOnlySpan<byte> serialized) => Documents.Add(Encoding.UTF8.GetString(serialized));
        public void Write(ErrorRecord record) => Errors.Add(record);

        public void Complete(bool succeeded)
        {
        }

        public void Dispose()
        {
        }
    }
}

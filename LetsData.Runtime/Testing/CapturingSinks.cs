using System.Globalization;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Testing;

/// <summary>Write and error destinations that keep everything in memory, in task order.</summary>
internal sealed class CapturingSinks : IDocumentSinkFactory, IErrorSinkFactory
{
    private readonly List<Sink> _sinks = [];

    public IDocumentSink Open(TaskContext task) => Add(task);
    IErrorSink IErrorSinkFactory.Open(TaskContext task) => Add(task);

    private Sink Add(TaskContext task)
    {
        var sink = new Sink(task.TaskId);
        lock (_sinks)
        {
            _sinks.Add(sink);
        }

        return sink;
    }

    public IEnumerable<(IDocument Document, string Serialized)> Documents =>
        _sinks.OrderBy(s => s.TaskId, StringComparer.Ordinal).SelectMany(s => s.Documents);

    public IEnumerable<ErrorRecord> Errors => _sinks.OrderBy(s => s.TaskId, StringComparer.Ordinal).SelectMany(s => s.Errors);

    private sealed class Sink(string taskId) : IDocumentSink, IErrorSink
    {
        public string TaskId { get; } = taskId;
        public List<(IDocument, string)> Documents { get; } = [];
        public List<ErrorRecord> Errors { get; } = [];

        public void Write(IDocument document, string serialized) => Documents.Add((document, serialized));
        public void Write(ErrorRecord record) => Errors.Add(record);
        public void Complete(bool succeeded) { }
        public void Dispose() { }

        /// <summary>A sink serves documents or errors, never both: its position is how many it captured.</summary>
        public bool TryCheckpoint(out string? position)
        {
            position = (Documents.Count + Errors.Count).ToString(CultureInfo.InvariantCulture);
            return true;
        }
    }
}

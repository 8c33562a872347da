using System.Globalization;
using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Testing;

/// <summary>Write and error destinations that keep everything in memory, in task order.</summary>
internal sealed class CapturingSinks : IDocumentSinkFactory, IErrorSinkFactory
{
    private readonly List<Sink> _sinks = [];

    public string CheckpointId => "memory";

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

        public void Write(IDocument document, ReadOnlySpan<byte> serialized)
        {
            if (document is IUtf8SerializableDocument)
            {
                CheckUtf8AgreesWithSerialize(document, serialized);
            }

            Documents.Add((document, Encoding.UTF8.GetString(serialized)));
        }
        public void Write(ErrorRecord record) => Errors.Add(record);
        public void Complete(bool succeeded) { }
        public void Dispose() { }

        /// <summary>
        /// The check the contract promises plugin authors: a document's UTF-8 form is exactly the encoding of its
        /// <c>Serialize()</c> string, so the worker's output does not depend on which of the two it calls.
        /// </summary>
        private static void CheckUtf8AgreesWithSerialize(IDocument document, ReadOnlySpan<byte> utf8)
        {
            if (document.Serialize() is not { } text)
            {
                throw new PluginContractException(
                    $"document {document.DocumentId ?? "(no id)"} ({document.GetType().Name}): TrySerializeUtf8 wrote {utf8.Length} bytes "
                    + "but Serialize() returned null (TrySerializeUtf8 must return false where Serialize() returns null)");
            }

            var expected = Encoding.UTF8.GetBytes(text);
            var differsAt = utf8.CommonPrefixLength(expected);
            if (differsAt == utf8.Length && differsAt == expected.Length)
            {
                return;
            }

            throw new PluginContractException(
                $"document {document.DocumentId ?? "(no id)"} ({document.GetType().Name}): TrySerializeUtf8 wrote {utf8.Length} bytes "
                + $"that differ from the UTF-8 encoding of Serialize() ({expected.Length} bytes) from byte {differsAt} on "
                + "(the two must agree; invalid UTF-8 in the source must be written as U+FFFD, as decoding to the string does)");
        }

        /// <summary>A sink serves documents or errors, never both: its position is how many it captured.</summary>
        public bool TryCheckpoint(out string? position)
        {
            position = (Documents.Count + Errors.Count).ToString(CultureInfo.InvariantCulture);
            return true;
        }
    }
}

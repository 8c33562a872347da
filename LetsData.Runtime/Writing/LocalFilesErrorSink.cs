using System.Buffers;
using System.Text.Json;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing;

/// <summary>The <c>LocalFiles</c> error connector: one JSON Lines file of <see cref="ErrorRecord"/>s per task under <c>outputPath</c>.</summary>
public sealed class LocalFilesErrorSinkFactory(string outputPath) : IErrorSinkFactory
{
    public string OutputPath { get; } = Path.GetFullPath(outputPath);

    public IErrorSink Open(TaskContext task) => new Sink(new JsonLinesFile(OutputPath, task.TaskId));

    private sealed class Sink(JsonLinesFile file) : IErrorSink
    {
        private readonly ArrayBufferWriter<byte> _json = new(1024);
        private Utf8JsonWriter? _writer;

        public void Write(ErrorRecord record)
        {
            _json.ResetWrittenCount();
            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(_json);
            }
            else
            {
                _writer.Reset(_json);
            }

            record.WriteJson(_writer);
            _writer.Flush();
            file.WriteLine(_json.WrittenSpan);
        }

        public void Complete(bool succeeded) => file.Complete(succeeded);

        public void Dispose()
        {
            _writer?.Dispose();
            file.Dispose();
        }
    }
}

using System.Buffers;
using System.Text.Json;
using LetsData.Interfaces.Documents;

namespace LetsData.Runtime.Writing;

/// <summary>The write connector's sink over a JSON Lines output: one <c>Serialize()</c> result per line.</summary>
internal sealed class JsonLinesDocumentSink(IJsonLinesOutput output) : IDocumentSink
{
    public void Write(IDocument document, ReadOnlySpan<byte> serialized) => output.WriteLine(serialized);
    public void Complete(bool succeeded) => output.Complete(succeeded);
    public bool TryCheckpoint(out string? position) => output.TryCheckpoint(out position);
    public void MakeDurable() => output.MakeDurable();
    public void Dispose() => output.Dispose();
}

/// <summary>The error connector's sink over a JSON Lines output: one <see cref="ErrorRecord"/> object per line.</summary>
internal sealed class JsonLinesErrorSink(IJsonLinesOutput output) : IErrorSink
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
        output.WriteLine(_json.WrittenSpan);
    }

    public void Complete(bool succeeded) => output.Complete(succeeded);

    public bool TryCheckpoint(out string? position) => output.TryCheckpoint(out position);

    public void MakeDurable() => output.MakeDurable();

    public void Dispose()
    {
        _writer?.Dispose();
        output.Dispose();
    }
}

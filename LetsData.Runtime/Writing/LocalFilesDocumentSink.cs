using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing;

/// <summary>The <c>LocalFiles</c> write connector: one JSON Lines file per task under <c>outputPath</c>, one <c>Serialize()</c> result per line.</summary>
public sealed class LocalFilesDocumentSinkFactory(string outputPath) : IDocumentSinkFactory
{
    public string OutputPath { get; } = Path.GetFullPath(outputPath);

    public IDocumentSink Open(TaskContext task) => new Sink(new JsonLinesFile(OutputPath, task.TaskId));

    private sealed class Sink(JsonLinesFile file) : IDocumentSink
    {
        public void Write(IDocument document, string serialized) => file.WriteLine(serialized);
        public void Complete(bool succeeded) => file.Complete(succeeded);
        public void Dispose() => file.Dispose();
    }
}

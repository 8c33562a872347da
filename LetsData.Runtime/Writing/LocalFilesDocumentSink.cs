using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing;

/// <summary>The <c>LocalFiles</c> write connector: one JSON Lines file per task under <c>outputPath</c> (named by <see cref="TaskOutputName"/>), one <c>Serialize()</c> result per line.</summary>
public sealed class LocalFilesDocumentSinkFactory(string outputPath) : IDocumentSinkFactory
{
    /// <summary>The id of LocalFiles outputs in checkpoints (documents and errors).</summary>
    public const string Id = "localfiles";

    public string CheckpointId => Id;

    public string OutputPath { get; } = Path.GetFullPath(outputPath);

    public IDocumentSink Open(TaskContext task) => new JsonLinesDocumentSink(new JsonLinesFile(OutputPath, task.OutputName, task.Resume is null ? null : task.Resume.Documents ?? "0", task.TaskId));
}

using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing;

/// <summary>The <c>LocalFiles</c> error connector: one JSON Lines file of <see cref="ErrorRecord"/>s per task under <c>outputPath</c>.</summary>
public sealed class LocalFilesErrorSinkFactory(string outputPath) : IErrorSinkFactory
{
    public string CheckpointId => LocalFilesDocumentSinkFactory.Id;

    public string OutputPath { get; } = Path.GetFullPath(outputPath);

    public IErrorSink Open(TaskContext task) => new JsonLinesErrorSink(new JsonLinesFile(OutputPath, task.OutputName, task.Resume is null ? null : task.Resume.Errors ?? "0", task.TaskId));
}

using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.TestSupport;

/// <summary>
/// Runs the engine directly (for what the harness does not expose: concurrency, the record ceiling, manifest lines)
/// over in-memory files, capturing what the sinks receive.
/// </summary>
internal sealed class EngineRun
{
    private EngineRun(RunSummary summary, CapturingSinks sinks)
    {
        Summary = summary;
        Documents = sinks.Documents.Select(d => d.Document).ToList();
        Serialized = sinks.Documents.Select(d => d.Serialized).ToList();
        Errors = sinks.Errors.ToList();
    }

    public RunSummary Summary { get; }
    public IReadOnlyList<IDocument> Documents { get; }
    public IReadOnlyList<string> Serialized { get; }
    public IReadOnlyList<ErrorRecord> Errors { get; }

    public TaskResult Task(string taskId) => Summary.Tasks.Single(t => t.TaskId == taskId);

    public static async Task<EngineRun> RunAsync(ReaderBinding binding, IFileSource files,
        IReadOnlyList<DataTaskDefinition> tasks, EngineOptions? options = null)
    {
        var sinks = new CapturingSinks();
        var engine = new DataTaskEngine("TestDataset", binding, files, sinks, sinks, options);
        var summary = await engine.RunAsync(tasks);
        return new EngineRun(summary, sinks);
    }

    /// <summary>Tasks task-0001, task-0002, ... reading one file each, as a single-type manifest gives them.</summary>
    public static List<DataTaskDefinition> OneTaskPerFile(params string[] fileNames) =>
        fileNames.Select((name, i) => new DataTaskDefinition($"task-{i + 1:D4}", i + 1, name, [new ManifestFileRef(null, name)]))
            .ToList();
}

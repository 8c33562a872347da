using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>Failures of the runtime's own parts around a task must surface, never silently drop tasks from the run.</summary>
public class EngineFailureTests
{
    [Test]
    public async Task AWriteConnectorThatCannotOpenErrorsTheTasksInsteadOfDroppingThem()
    {
        var files = new InMemoryFileSource().Add("a.log", TestData.Utf8("<r>1;")).Add("b.log", TestData.Utf8("<r>2;"));
        var engine = new DataTaskEngine("Broken", new SingleFileReaderBinding("p", () => new RecordingParser("LOG", "<r>", ";")),
            files, new UnopenableSinks(), DiscardingSinkFactory.Instance, new EngineOptions { Concurrency = 2 });

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("a.log", "b.log"));

        Assert.That(summary.Tasks.Select(t => t.TaskId), Is.EqualTo(new[] { "task-0001", "task-0002" }));
        Assert.That(summary.Tasks.Select(t => t.Status), Is.All.EqualTo(DataTaskStatus.Errored));
        Assert.That(summary.Tasks.Select(t => t.ErrorMessage), Is.All.Contain("the write destination is unreachable"));
        Assert.That(engine.Progress.TasksErrored, Is.EqualTo(2));
    }

    private sealed class UnopenableSinks : IDocumentSinkFactory
    {
        public string CheckpointId => "unopenable";

        public IDocumentSink Open(TaskContext task) => throw new IOException("the write destination is unreachable");
    }
}

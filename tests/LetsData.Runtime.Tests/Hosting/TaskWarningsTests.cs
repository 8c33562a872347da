using LetsData.Runtime.DataTasks.Control;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Hosting;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary>A task's warnings cross from a data-task process to its supervisor and end up in the run's summary.</summary>
public class TaskWarningsTests
{
    private static TaskResult Result(string taskId, DataTaskStatus status, string? error = null, params string[] warnings) =>
        new(taskId, status, error, new TaskCounters(), TimeSpan.FromSeconds(1)) { Warnings = warnings };

    [Test]
    public void AnEndTaskMessage_CarriesTheWarnings()
    {
        var result = Result("task-0001", DataTaskStatus.Completed, null, "file a: empty file, no record", "file b: second");

        var wire = System.Text.Json.JsonSerializer.Serialize<ControlMessage>(EndTask.From(result), ControlJsonContext.Default.ControlMessage);
        var back = (EndTask)System.Text.Json.JsonSerializer.Deserialize(wire, ControlJsonContext.Default.ControlMessage)!;
        var none = EndTask.From(Result("task-0002", DataTaskStatus.Completed));

        Assert.That(back.ToResult().Warnings, Is.EqualTo(result.Warnings));
        Assert.That(none.Warnings, Is.Null, "nothing on the wire for a task without warnings");
        Assert.That(none.ToResult().Warnings, Is.Empty);
    }

    [Test]
    public void TheSummary_HasOneLinePerTaskWithWarnings_AfterTheErroredTasks()
    {
        var summary = new RunSummary("Demo",
        [
            Result("task-0001", DataTaskStatus.Completed, null, "file a: empty file, no record", "file a2: second"),
            Result("task-0002", DataTaskStatus.Errored, "boom"),
            Result("task-0003", DataTaskStatus.Completed),
        ], TimeSpan.FromSeconds(2));
        var output = new StringWriter();

        RunSummaryPrinter.Print(output, summary, "/out/documents", "/out/errors");

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[^2..], Is.EqualTo(new[]
        {
            "  ERRORED task-0002: boom",
            "  WARNING task-0001: file a: empty file, no record; file a2: second",
        }));
    }
}

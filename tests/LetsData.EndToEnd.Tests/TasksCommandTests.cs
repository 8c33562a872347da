using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// The task state through the published worker: <c>run</c> records each task's outcome, <c>tasks list|show</c> and
/// <c>errors list</c> show them, <c>redrive</c> resets an errored task, and the next <c>run</c> runs only what is left.
/// </summary>
public sealed class TasksCommandTests : WorkerTest
{
    [Test]
    public void OneBadFileAmongThree_Redrive_RunsOnlyThatTaskAgain()
    {
        var datasetFile = Work.ThreeFileDataset(badSecond: true);

        var first = Work.Run(datasetFile);
        Assert.That(first.ExitCode, Is.EqualTo(1), first.ToString());

        var listed = TasksJson(datasetFile);
        Assert.That(listed.Select(t => (string)t["taskId"]!), Is.EqualTo(new[] { "task-0001", "task-0002", "task-0003" }));
        Assert.That(listed.Select(t => (string)t["status"]!), Is.EqualTo(new[] { "COMPLETED", "ERRORED", "COMPLETED" }));
        Assert.That(listed.Select(t => (int)t["attempts"]!), Is.All.EqualTo(1));
        var lastError = listed[1]["lastError"]!;
        Assert.That((string)lastError["message"]!, Does.Contain("b.warc.gz").And.Contain("truncated"), listed[1].ToJsonString());
        Assert.That((string)lastError["fileName"]!, Does.EndWith("b.warc.gz"), "the file is read out of the message");
        Assert.That((string?)lastError["position"], Is.Not.Null.And.Not.Empty, "so is the offset");
        Assert.That((long)listed[0]["counters"]!["documents"]!, Is.GreaterThan(0));
        Assert.That((string)listed[1]["reader"]!["files"]!["file"]!, Is.EqualTo("b.warc.gz"));

        var errors = Work.Worker("errors", "list", "--dataset", datasetFile, "--json");
        Assert.That(errors.ExitCode, Is.Zero, errors.ToString());
        var taskErrors = JsonNode.Parse(errors.Stdout)!.AsArray().Where(e => (string)e!["kind"]! == "TaskError").ToList();
        Assert.That(taskErrors, Has.Count.EqualTo(1), errors.ToString());
        Assert.That((string)taskErrors[0]!["taskId"]!, Is.EqualTo("task-0002"));
        Assert.That((string)taskErrors[0]!["errorMessage"]!, Is.EqualTo((string)lastError["message"]!), "the record of the first attempt");
        var onlyTaskErrors = Work.Worker("errors", "list", "--dataset", datasetFile, "--json", "--kind", "TaskError", "--limit", "5");
        Assert.That(JsonNode.Parse(onlyTaskErrors.Stdout)!.AsArray().Select(e => e!.ToJsonString()), Is.EqualTo(taskErrors.Select(e => e!.ToJsonString())),
            onlyTaskErrors.ToString());

        var completedOutputs = new[] { "task-0001.a.warc.jsonl", "task-0003.c.warc.jsonl" }.Select(f => Path.Combine(Work.DocumentsPath, f)).ToList();
        var writeTimes = completedOutputs.Select(File.GetLastWriteTimeUtc).ToList();
        File.Copy(Repo.WarcFile, Path.Combine(Work.InputPath, "b.warc.gz"), overwrite: true);

        var redrive = Work.Worker("redrive", "--dataset", datasetFile, "--task", "task-0002");
        Assert.That(redrive.ExitCode, Is.Zero, redrive.ToString());
        Assert.That(redrive.Stdout, Does.Contain("task-0002: ERRORED -> CREATED").And.Contain("1 task(s) redriven"), redrive.ToString());
        Assert.That(TasksJson(datasetFile, "--status", "CREATED").Select(t => (string)t["taskId"]!), Is.EqualTo(new[] { "task-0002" }));

        var second = Work.Run(datasetFile);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Stdout, Does.Contain("2 task(s) already completed, skipped"), second.ToString());
        Assert.That(second.Stdout, Does.Contain("1 task(s) completed, 0 errored"), second.ToString());
        Assert.That(completedOutputs.Select(File.GetLastWriteTimeUtc), Is.EqualTo(writeTimes), "the completed tasks' outputs were not touched");
        Assert.That(File.Exists(Path.Combine(Work.DocumentsPath, "task-0002.b.warc.jsonl")), Is.True);
        var after = TasksJson(datasetFile);
        Assert.That(after.Select(t => (string)t["status"]!), Is.All.EqualTo("COMPLETED"));
        Assert.That(after.Select(t => (int)t["attempts"]!), Is.EqualTo(new[] { 1, 2, 1 }));
    }

    [Test]
    public void RerunCompleted_RunsEveryTaskAgain()
    {
        var datasetFile = Work.ThreeFileDataset(badSecond: false);
        var first = Work.Run(datasetFile);
        Assert.That(first.ExitCode, Is.Zero, first.ToString());

        var skipping = Work.Run(datasetFile);
        var again = Work.Run(datasetFile, "--rerun-completed");

        Assert.That(skipping.ExitCode, Is.Zero, skipping.ToString());
        Assert.That(skipping.Stdout, Does.Contain("3 task(s) already completed, skipped").And.Contain("0 task(s) completed"), skipping.ToString());
        Assert.That(again.ExitCode, Is.Zero, again.ToString());
        Assert.That(again.Stdout, Does.Contain("3 task(s) completed, 0 errored").And.Not.Contain("skipped"), again.ToString());
        Assert.That(TasksJson(datasetFile).Select(t => (int)t["attempts"]!), Is.All.EqualTo(2));
    }

    [Test]
    public void StateGoesWhereStateSays_AndTablesAreAligned()
    {
        var datasetFile = Work.ThreeFileDataset(badSecond: true);
        var state = Path.Combine(Work.Directory, "my state");
        Work.Run(datasetFile, "--state", state);

        var table = Work.Worker("tasks", "list", "--dataset", datasetFile, "--state", state);
        var show = Work.Worker("tasks", "show", "--dataset", datasetFile, "--state", state, "--task", "task-0002");
        var errors = Work.Worker("errors", "list", "--dataset", datasetFile, "--task", "task-0002");
        var defaultState = Work.Worker("tasks", "list", "--dataset", datasetFile, "--json");

        Assert.That(Directory.GetFiles(Path.Combine(state, "tasks"), "*.json"), Has.Length.EqualTo(3));
        Assert.That(JsonNode.Parse(defaultState.Stdout)!.AsArray(), Is.Empty, "nothing in the default folder");
        Assert.That(table.ExitCode, Is.Zero, table.ToString());
        var lines = table.StdoutLines;
        Assert.That(lines[0], Does.StartWith("TASK"));
        Assert.That(lines.Skip(1).Take(3).Select(l => l.IndexOf("COMPLETED", StringComparison.Ordinal) is var i and >= 0 ? i : l.IndexOf("ERRORED", StringComparison.Ordinal)),
            Is.All.EqualTo(lines[0].IndexOf("STATUS", StringComparison.Ordinal)), "the status column is aligned");
        Assert.That(lines[^1], Does.Contain("3 task(s)"));
        Assert.That(show.ExitCode, Is.Zero, show.ToString());
        Assert.That(show.Stdout, Does.Contain("ERRORED").And.Contain("b.warc.gz").And.Contain("last error"), show.ToString());
        Assert.That(errors.ExitCode, Is.Zero, errors.ToString());
        Assert.That(errors.StdoutLines.Count(l => l.StartsWith("task-0002", StringComparison.Ordinal)), Is.EqualTo(1), errors.ToString());
    }

    [Test]
    public void AnUnknownTask_Exits1()
    {
        var datasetFile = Work.ThreeFileDataset(badSecond: false);
        Work.Run(datasetFile);

        var show = Work.Worker("tasks", "show", "--dataset", datasetFile, "--task", "task-0009");
        var redrive = Work.Worker("redrive", "--dataset", datasetFile, "--task", "task-0009");
        var errors = Work.Worker("errors", "list", "--dataset", datasetFile, "--task", "task-0009");

        Assert.That(new[] { show.ExitCode, redrive.ExitCode, errors.ExitCode }, Is.All.EqualTo(1), $"{show}\n{redrive}\n{errors}");
        Assert.That(show.Stderr, Does.Contain("task task-0009 not found"));
    }

    [Test]
    public void ErrorsList_EscapesControlCharacters_AndStopsAtTheLimit()
    {
        var datasetFile = Work.ThreeFileDataset(badSecond: false);
        Directory.CreateDirectory(Work.ErrorsPath);
        // An error message quoting a binary record: a NUL, an escape sequence and a bell must not reach the terminal.
        var lines = Enumerable.Range(1, 3).Select(i =>
            $$"""{"kind":"ErrorDoc","taskId":"task-0001","fileNames":{"WARC":"a.warc.gz"},"errorStartOffsetMap":{"WARC":"{{i}}"},"errorMessage":"bad \u0000\u001b[31m\u0007 record {{i}}"}""");
        File.WriteAllLines(Path.Combine(Work.ErrorsPath, "task-0001.a.warc.jsonl"), lines);

        var table = Work.Worker("errors", "list", "--dataset", datasetFile, "--limit", "2");

        Assert.That(table.ExitCode, Is.Zero, table.ToString());
        Assert.That(table.Stdout.Any(c => char.IsControl(c) && c is not '\n' and not '\r'), Is.False, "no control character printed");
        Assert.That(table.Stdout, Does.Contain(@"bad \u0000\u001b[31m\u0007 record 1").And.Contain("record 2").And.Not.Contain("record 3"));
        Assert.That(table.StdoutLines[^1], Does.StartWith("2 error record(s)"));
    }

    [TestCase("errors", "list", "--dataset", "d.json", "--limit", "0")]
    [TestCase("errors", "list", "--dataset", "d.json", "--kind", "Fatal")]
    [TestCase("tasks", "list")]
    [TestCase("tasks", "show", "--dataset", "d.json")]
    [TestCase("tasks", "list", "--dataset", "d.json", "--status", "DONE")]
    [TestCase("tasks", "frobnicate", "--dataset", "d.json")]
    [TestCase("redrive", "--dataset", "d.json", "--json")]
    [TestCase("tasks", "list", "--dataset", "missing.json")]
    public void BadUsage_Exits2(params string[] arguments)
    {
        var result = Work.Worker(arguments);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
    }

    private List<JsonObject> TasksJson(string datasetFile, params string[] extra)
    {
        var result = Work.Worker(["tasks", "list", "--dataset", datasetFile, "--json", .. extra]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsArray().Select(t => t!.AsObject()).ToList();
    }
}

using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// A file that is odd but not unusable — here a binary file in a WARC dataset's manifest — completes its task with a
/// warning in the summary and in the task's record, whether the plugin runs in a data-task process or in the worker.
/// </summary>
public sealed class InputWarningTests : WorkerTest
{
    [Test]
    public void ABinaryFileInAWarcDataset_CompletesWithAWarning_InTheSummaryAndTheTaskRecord()
    {
        var good = Work.CopyInput(Repo.WarcFile, "good.warc.gz");
        // Deterministic bytes that neither start like gzip nor hold a WARC record.
        var binary = Enumerable.Range(0, 20_000).Select(i => (byte)((i * 31 + 7) % 251)).ToArray();
        File.WriteAllBytes(Path.Combine(Work.InputPath, "random.bin"), binary);
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["manifestFile"]!["fileContents"] = $"{good}\nrandom.bin";
        var datasetFile = Work.WriteDataset(dataset);
        var expected = $"  WARNING task-0002: file {Path.Combine(Work.InputPath, "random.bin")}: 20000 bytes read, no record found — "
            + "is it the right file type for the record start hint Pattern(";

        var supervised = Work.Run(datasetFile);

        Assert.That(supervised.ExitCode, Is.Zero, supervised.ToString());
        Assert.That(supervised.Stdout, Does.Contain("2 task(s) completed, 0 errored"), supervised.ToString());
        Assert.That(WarningLines(supervised), Has.Count.EqualTo(1).And.Some.StartsWith(expected), supervised.ToString());

        var show = Work.Worker("tasks", "show", "--dataset", datasetFile, "--task", "task-0002");
        var json = Work.Worker("tasks", "show", "--dataset", datasetFile, "--task", "task-0002", "--json");
        var good1 = Work.Worker("tasks", "show", "--dataset", datasetFile, "--task", "task-0001", "--json");

        Assert.That(show.ExitCode, Is.Zero, show.ToString());
        Assert.That(show.StdoutLines.Where(l => l.StartsWith("warning", StringComparison.Ordinal)).ToList(),
            Has.Count.EqualTo(1).And.Some.Contain("random.bin: 20000 bytes read, no record found"), show.ToString());
        var warnings = JsonNode.Parse(json.Stdout)!.AsArray()[0]!["warnings"]!.AsArray().Select(w => (string?)w).ToList();
        Assert.That(warnings, Has.Count.EqualTo(1).And.Some.Contain("no record found"), json.ToString());
        Assert.That(JsonNode.Parse(good1.Stdout)!.AsArray()[0]!.AsObject().ContainsKey("warnings"), Is.False, "the good file has none");

        var inProcess = Work.Run(datasetFile, "--rerun-completed", "--in-process");

        Assert.That(inProcess.ExitCode, Is.Zero, inProcess.ToString());
        Assert.That(WarningLines(inProcess), Has.Count.EqualTo(1).And.Some.StartsWith(expected), inProcess.ToString());
    }

    private static List<string> WarningLines(ProcessResult result) =>
        result.StdoutLines.Where(l => l.TrimStart().StartsWith("WARNING", StringComparison.Ordinal)).ToList();
}

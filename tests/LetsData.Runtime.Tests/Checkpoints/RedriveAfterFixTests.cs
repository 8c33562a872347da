using System.Text.Json;
using LetsData.Runtime.Hosting;
using LetsData.Runtime.State;
using LetsData.Runtime.Tests.Plugins.Reload;
using Microsoft.Extensions.Logging.Abstractions;

namespace LetsData.Runtime.Tests.Checkpoints;

/// <summary>
/// A plugin bug errors a task; the fixed build is dropped in; <c>redrive</c> + <c>run</c> finish the errored task from
/// its last checkpoint (its output is the old build's lines before the checkpoint and the new build's after it, each
/// line once) and leave the completed task alone. The commands as the worker runs them, in one process.
/// </summary>
public sealed class RedriveAfterFixTests
{
    private const int LinesBeforeBug = 230;
    private const int LinesAfterBug = 70;

    [Test]
    public async Task RedriveAfterAPluginFix_FinishesTheErroredTaskFromItsCheckpoint_AndDoesNotRerunTheCompleted()
    {
        using var drop = new PluginDropFolder("VersionedParser").Drop(ReloadTestPlugins.VersionedParserBuild("V1"));
        var root = Path.GetDirectoryName(Path.GetDirectoryName(drop.Folder))!;
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "good.txt"), Lines("good", 200));
        await File.WriteAllTextAsync(Path.Combine(data, "buggy.txt"), Lines("before", LinesBeforeBug) + "<r>bug here\n" + Lines("after", LinesAfterBug));
        var documents = Path.Combine(root, "out", "documents");
        var datasetFile = Path.Combine(root, "fix.json");
        await File.WriteAllTextAsync(datasetFile, DatasetJson(data, documents, Path.Combine(root, "out", "errors")));
        var plugins = Path.GetDirectoryName(drop.Folder)!;
        var run = new CommandLine("run", datasetFile, plugins, Concurrency: 1)
        {
            StateDirectory = drop.StateDirectory,
            Worker = new WorkerOptions { CheckpointRecords = 50 },
        };

        var firstExit = await RunAsync(run);
        var goodAfterFirst = await File.ReadAllTextAsync(Path.Combine(documents, "task-0001.good.jsonl"));
        Assert.That(firstExit, Is.EqualTo(ExitCodes.Failed));
        Assert.That(Path.Combine(documents, "task-0002.buggy.errored.jsonl"), Does.Exist);

        drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));
        var redrive = new CommandLine("redrive", datasetFile, plugins, Concurrency: null) { StateDirectory = drop.StateDirectory };
        Assert.That(await RedriveCommand.ExecuteAsync(new LocalTaskStore(drop.StateDirectory), redrive.TaskOptions, TextWriter.Null,
            TextWriter.Null, CancellationToken.None), Is.EqualTo(ExitCodes.Success));
        var secondExit = await RunAsync(run);

        var store = new LocalTaskStore(drop.StateDirectory);
        var records = await store.ListAsync();
        var fixedLines = (await File.ReadAllLinesAsync(Path.Combine(documents, "task-0002.buggy.jsonl"))).Select(Parse).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(secondExit, Is.EqualTo(ExitCodes.Success));
            Assert.That(records.Select(r => r.Status), Is.All.EqualTo(TaskRecordStatus.Completed));
            Assert.That(records.Single(r => r.TaskId == "task-0001").Attempts, Is.EqualTo(1), "the completed task was not run again");
            Assert.That(File.ReadAllText(Path.Combine(documents, "task-0001.good.jsonl")), Is.EqualTo(goodAfterFirst));
            Assert.That(Path.Combine(documents, "task-0002.buggy.errored.jsonl"), Does.Not.Exist);
            Assert.That(fixedLines.Select(l => l.Text), Is.EqualTo(
                Enumerable.Range(0, LinesBeforeBug).Select(i => $"<r>before {i}")
                    .Append("<r>bug here")
                    .Concat(Enumerable.Range(0, LinesAfterBug).Select(i => $"<r>after {i}"))), "every line once, in order");
            // Checkpoints every 50 records: the last one before the bug is after record 200, so V1 wrote 200 lines.
            Assert.That(fixedLines.TakeWhile(l => l.Version == "v1").Count(), Is.EqualTo(200), "resumed from the checkpoint, not from the start");
            Assert.That(fixedLines.Skip(200).Select(l => l.Version), Is.All.EqualTo("v2"));
            Assert.That(records.Single(r => r.TaskId == "task-0002").Counters.Documents, Is.EqualTo(LinesBeforeBug + 1 + LinesAfterBug),
                "counts add up over both attempts");
        });
    }

    private static async Task<int> RunAsync(CommandLine run) =>
        await new RunCommand(new ProgressReporter(NullLogger<ProgressReporter>.Instance), NullLogger<RunCommand>.Instance)
            .ExecuteAsync(run, TextWriter.Null, CancellationToken.None);

    private static string Lines(string prefix, int count) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"<r>{prefix} {i}\n"));

    private static (string Version, string Text) Parse(string jsonLine)
    {
        using var document = JsonDocument.Parse(jsonLine);
        return (document.RootElement.GetProperty("version").GetString()!, document.RootElement.GetProperty("text").GetString()!);
    }

    private static string DatasetJson(string data, string documents, string errors) =>
        ReloadTestPlugins.VersionedParserDatasetJson("FixDataset", data, documents, errors, concurrency: 1, "good.txt\nbuggy.txt");
}

using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// Operating a dataset through the published worker: <c>status</c> over its task records, <c>logs</c> of one task, and
/// <c>tasks stop</c> reaching a running <c>run</c> through the state folder.
/// </summary>
public sealed class OperationsTests : WorkerTest
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    // Two Common Crawl tasks run one after the other: minutes on a busy machine.
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(4);

    [Test]
    public void AnErroredTask_MakesTheDatasetErrored_AndItsLogSaysWhy()
    {
        var datasetFile = Work.ThreeFileDataset(badSecond: true);
        var before = Status(datasetFile);
        var run = Work.Run(datasetFile);

        var after = Status(datasetFile);
        var table = Work.Worker("status", "--dataset", datasetFile);
        var logs = Work.Worker("logs", "--dataset", datasetFile, "--task", "task-0002");
        var none = Work.Worker("logs", "--dataset", datasetFile, "--task", "task-0009");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That((string)before["status"]!, Is.EqualTo("CREATED"), "no task records before the first run");
        Assert.That((string)after["status"]!, Is.EqualTo("ERRORED"), after.ToJsonString());
        Assert.That((int)after["tasks"]!["COMPLETED"]!, Is.EqualTo(2));
        Assert.That((int)after["tasks"]!["ERRORED"]!, Is.EqualTo(1));
        Assert.That((long)after["records"]!, Is.GreaterThan(0));
        Assert.That(table.StdoutLines[0], Is.EqualTo("Dataset TargetUris: ERRORED"), table.ToString());
        Assert.That(table.Stdout, Does.Contain("tasks 3: CREATED 0, PROCESSING 0, COMPLETED 2, ERRORED 1, RERUN 0"), table.ToString());
        Assert.That(logs.ExitCode, Is.Zero, logs.ToString());
        Assert.That(logs.StdoutLines[0], Does.Contain("supervisor: started in data-task"), logs.ToString());
        Assert.That(logs.StdoutLines[^1], Does.Contain("supervisor: ended ERRORED").And.Contain("b.warc.gz"), logs.ToString());
        Assert.That(logs.Stdout, Does.Not.Contain("task-0001"), "only the task's own lines");
        Assert.That(Path.Combine(Work.Directory, ".letsdata", "state", "TargetUris", "logs", "task-0002.log"), Does.Exist);
        Assert.That(none.ExitCode, Is.EqualTo(1), none.ToString());
    }

    [Test]
    public void TasksStop_StopsThatTaskAtItsNextCheckpointAsRerun_TheOthersRunOn()
    {
        var run = CommonCrawlRun.Create(Work, "stopped", CrawlTrios.Write(Work.InputPath, count: 2, urls: 1500, seed: 20261207));
        string[] arguments = ["run", "--dataset", run.DatasetFile, "--plugins", Repo.PluginsDirectory, .. run.Store, "--checkpoint-records", "25",
            "--concurrency", "1"];
        string? target = null;
        ProcessResult? stop = null;

        var first = Work.Worker(arguments, _ => { }, RunLimit, worker =>
        {
            if (KillSwitch.WaitFor(worker, () => (target = CheckpointedTask(run.StateFolder)) is not null, Wait))
            {
                stop = Work.Worker(["tasks", "stop", "--dataset", run.DatasetFile, .. run.Store, "--task", target!]);
            }
        });

        Assert.That(stop, Is.Not.Null, "a task was under way with a checkpoint\n" + first);
        Assert.That(stop!.ExitCode, Is.Zero, stop.ToString());
        Assert.That(stop.Stdout, Does.Contain($"task {target}: data-task").And.Contain("stops it at its next checkpoint (RERUN)"), stop.ToString());
        Assert.That(first.ExitCode, Is.EqualTo(3), "a task is left to continue\n" + first);
        var tasks = run.TasksList();
        Assert.That(tasks.Where(t => (string)t["taskId"]! == target).Select(t => (string)t["status"]!), Is.EqualTo(new[] { "RERUN" }), first.ToString());
        Assert.That(tasks.Where(t => (string)t["taskId"]! != target).Select(t => (string)t["status"]!), Has.All.EqualTo("COMPLETED"), first.ToString());
        var logs = Work.Worker(["logs", "--dataset", run.DatasetFile, .. run.Store, "--task", target!]);
        Assert.That(logs.Stdout, Does.Contain("stop requested (letsdata tasks stop)").And.Contain("ended RERUN"), logs.ToString());
        Assert.That((string)Status(run.DatasetFile, run.Store)["status"]!, Is.EqualTo("PROCESSING"));

        var second = Work.Worker(arguments, _ => { }, RunLimit);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That((string)Status(run.DatasetFile, run.Store)["status"]!, Is.EqualTo("COMPLETED"));
    }

    [Test]
    public void TasksStop_WithNoRunningRun_Exits1()
    {
        var datasetFile = Work.ThreeFileDataset(badSecond: false);

        var stop = Work.Worker("tasks", "stop", "--dataset", datasetFile, "--task", "task-0001");

        Assert.That(stop.ExitCode, Is.EqualTo(1), stop.ToString());
        Assert.That(stop.Stderr, Does.Contain("no running 'letsdata run' of dataset TargetUris answered"), stop.ToString());
    }

    private JsonNode Status(string datasetFile, params IReadOnlyList<string> store)
    {
        var result = Work.Worker(["status", "--dataset", datasetFile, "--json", .. store]);
        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        return JsonNode.Parse(result.Stdout)!.AsArray().Single()!;
    }

    // A task under way that has saved a checkpoint: stopping it must leave it at a checkpoint.
    private static string? CheckpointedTask(string state)
    {
        var folder = Path.Combine(state, "tasks");
        if (!Directory.Exists(folder))
        {
            return null;
        }

        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                var task = JsonNode.Parse(File.ReadAllText(file))!;
                if ((string?)task["status"] == "PROCESSING" && task["checkpoint"] is not null)
                {
                    return (string)task["taskId"]!;
                }
            }
            catch (IOException)
            {
                // Replaced while read: the next look sees it.
            }
        }

        return null;
    }
}

using LetsData.Runtime.Engine;
using LetsData.Runtime.Hosting;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary><c>run</c>'s checkpoint, time-box, lease, shard and task-table options on the command line.</summary>
public class WorkerOptionsTests
{
    private static CommandLine Parse(params string[] args)
    {
        var parsed = CommandLine.TryParse(["run", "--dataset", "d.json", .. args], out var error);
        Assert.That(parsed, Is.Not.Null, error);
        return parsed!;
    }

    [Test]
    public void Defaults_AreACheckpointEvery10000RecordsOr10Seconds_NoTimeBox()
    {
        var worker = Parse().Worker;

        Assert.That(worker.Checkpoints, Is.EqualTo(new CheckpointInterval(10_000, TimeSpan.FromSeconds(10))));
        Assert.That(worker.MaxTaskSeconds, Is.Null);
        Assert.That(worker.LeaseSeconds, Is.Null);
        Assert.That((worker.ShardIndex, worker.ShardCount), Is.EqualTo(((int?)null, (int?)null)));
    }

    [Test]
    public void EveryOption_IsRead()
    {
        var line = Parse("--checkpoint-records", "500", "--checkpoint-seconds", "2.5", "--max-task-seconds", "900", "--lease-seconds", "30",
            "--shard-index", "3", "--shard-count", "8", "--task-table", "letsdata-tasks");

        Assert.That(line.Worker.Checkpoints, Is.EqualTo(new CheckpointInterval(500, TimeSpan.FromSeconds(2.5))));
        Assert.That(line.Worker.MaxTaskSeconds, Is.EqualTo(900));
        Assert.That(line.Worker.LeaseSeconds, Is.EqualTo(30));
        Assert.That((line.Worker.ShardIndex, line.Worker.ShardCount), Is.EqualTo(((int?)3, (int?)8)));
        Assert.That(line.TaskTable, Is.EqualTo("letsdata-tasks"));
    }

    [Test]
    public void NoCheckpoints_TurnsMidTaskCheckpointsOff()
    {
        Assert.That(Parse("--no-checkpoints").Worker.Checkpoints, Is.Null);
    }

    [TestCase("--checkpoint-records", "0", "--checkpoint-records must be a positive whole number, not '0'")]
    [TestCase("--checkpoint-records", "1.5", "--checkpoint-records must be a positive whole number, not '1.5'")]
    [TestCase("--checkpoint-seconds", "-1", "--checkpoint-seconds must be a positive number of seconds, not '-1'")]
    [TestCase("--max-task-seconds", "soon", "--max-task-seconds must be a positive number of seconds, not 'soon'")]
    [TestCase("--lease-seconds", "0.5", "--lease-seconds must be a number of seconds of at least 1, not '0.5'")]
    [TestCase("--shard-index", "-1", "--shard-index must be a whole number from 0, not '-1'")]
    [TestCase("--shard-count", "0", "--shard-count must be a positive whole number, not '0'")]
    public void ABadValue_IsRefused_NamingTheOption(string option, string value, string message)
    {
        Assert.That(CommandLine.TryParse(["run", "--dataset", "d.json", option, value], out var error), Is.Null);
        Assert.That(error, Is.EqualTo(message));
    }

    [Test]
    public void WorkerOptions_BelongToRunOnly()
    {
        Assert.That(CommandLine.TryParse(["validate", "--dataset", "d.json", "--checkpoint-records", "5"], out var error), Is.Null);
        Assert.That(error, Is.EqualTo("unknown option --checkpoint-records for 'validate'"));
        Assert.That(CommandLine.TryParse(["tasks", "list", "--dataset", "d.json", "--task-table", "t"], out _)!.TaskTable, Is.EqualTo("t"));
    }
}

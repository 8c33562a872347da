using LetsData.Runtime.Hosting;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary><c>tasks stop</c>, <c>logs</c> and <c>status</c> on the command line.</summary>
public class OperationsCommandLineTests
{
    [TestCase("tasks", "stop")]
    [TestCase("logs")]
    public void ATaskCommand_NeedsATask(params string[] command)
    {
        Assert.That(CommandLine.TryParse([.. command, "--dataset", "d.json"], out var error), Is.Null);
        Assert.That(error, Is.EqualTo("--task ID is required"));

        var commandLine = CommandLine.TryParse([.. command, "--dataset", "d.json", "--task", "task-0002", "--state", "s"], out error);
        Assert.That(error, Is.Null);
        Assert.That(commandLine!.Command, Is.EqualTo(string.Join(' ', command)));
        Assert.That(commandLine.TaskOptions.TaskId, Is.EqualTo("task-0002"));
        Assert.That(commandLine.StateDirectory, Is.EqualTo("s"));
    }

    [Test]
    public void Status_TakesJsonAndATaskTable()
    {
        var commandLine = CommandLine.TryParse(["status", "--dataset", "d.json", "--json", "--task-table", "t"], out var error);

        Assert.That(error, Is.Null);
        Assert.That(commandLine!.TaskOptions.Json, Is.True);
        Assert.That(commandLine.TaskTable, Is.EqualTo("t"));
    }

    [Test]
    public void HelpOfTasksStop_ShowsItsOwnOptions()
    {
        using var help = new StringWriter();
        Assert.That(WorkerCommandLine.Read(["tasks", "stop", "--help"], help, TextWriter.Null, out var exitCode), Is.Null);

        Assert.That(exitCode, Is.Zero);
        Assert.That(help.ToString(), Does.Contain($"{System.CommandLine.RootCommand.ExecutableName} tasks stop [options]").And.Contain("--task <ID> (REQUIRED)").And.Contain("--state <DIR>")
            .And.Not.Contain("tasks list").And.Not.Contain("--json"));
    }
}

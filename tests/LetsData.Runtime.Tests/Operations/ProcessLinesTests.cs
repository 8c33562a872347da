using LetsData.Runtime.Operations;

namespace LetsData.Runtime.Tests.Operations;

public sealed class ProcessLinesTests
{
    [Test]
    public void LinesOfATask_CarryItsId_AndGoToItsLogFile_LinesBeforeAnyTaskDoNot()
    {
        var state = Directory.CreateTempSubdirectory("letsdata-logs-").FullName;
        try
        {
            var files = new TaskLogFiles(state, "Logs");
            var worker = new StringWriter();
            var lines = new ProcessLines(files, worker);

            lines.Relay("loading the plugin");
            lines.TaskId = "task-0001";
            lines.Relay("plugin says hello");
            lines.TaskId = "task-0002";
            lines.Relay("plugin says bye");

            Assert.That(worker.ToString().ReplaceLineEndings("\n"),
                Is.EqualTo("loading the plugin\n[task-0001] plugin says hello\n[task-0002] plugin says bye\n"));
            Assert.That(files.Read("task-0001"), Is.EqualTo(new[] { "plugin says hello" }));
            Assert.That(files.Read("task-0002"), Is.EqualTo(new[] { "plugin says bye" }));
            Assert.That(files.PathOf("task-0001"), Is.EqualTo(Path.Combine(state, "logs", "task-0001.log")));
            Assert.That(files.Read("task-0003"), Is.Null);
        }
        finally
        {
            Directory.Delete(state, recursive: true);
        }
    }

    [Test]
    public void ATaskIdWithASeparator_StaysInTheLogFolder()
    {
        var files = new TaskLogFiles("/tmp/state", "Logs");

        Assert.That(Path.GetDirectoryName(files.PathOf("../shard/1")), Is.EqualTo(files.Folder));
    }
}

using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// Bad input through the published worker: a clear sentence and the right exit code, nothing read outside
/// <c>rootPath</c>, no .NET stack trace, and a run that stops with work left says so with exit code 3.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BadInputTests : WorkerTest
{
    private const int Nobody = 65534;

    [Test]
    public void Run_ManifestLineLeadingOutOfRootPath_Exits2BeforeAnythingRuns()
    {
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["manifestFile"]!["fileContents"] = "whirlwind.warc.gz\n/etc/passwd";

        var result = Work.Run(Work.WriteDataset(dataset));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("line 2: '/etc/passwd' resolves to /etc/passwd, outside readConnector.rootPath"), result.ToString());
        Assert.That(Directory.Exists(Path.Combine(Work.Directory, "out")), Is.False, "nothing ran");
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "symbolic links")]
    public void Run_LinkInRootPathToAFileOutside_Exits2()
    {
        File.CreateSymbolicLink(Path.Combine(Work.InputPath, "innocent.warc.gz"), "/etc/passwd");
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["manifestFile"]!["fileContents"] = "innocent.warc.gz";

        var result = Work.Run(Work.WriteDataset(dataset));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("'innocent.warc.gz' resolves to /etc/passwd, outside readConnector.rootPath"), result.ToString());
    }

    [Test]
    public void Run_StoppedByItsTimeBox_Exits3CountingTheTasksLeft_AndTheNextRunFinishes()
    {
        // A hundred records (gzip members); a checkpoint after each looks at the 1 ms time box.
        var warc = File.ReadAllBytes(Repo.WarcFile);
        File.WriteAllBytes(Path.Combine(Work.InputPath, "many.warc.gz"), [.. Enumerable.Repeat(warc, 100).SelectMany(b => b)]);
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["manifestFile"]!["fileContents"] = "many.warc.gz";
        var datasetFile = Work.WriteDataset(dataset);

        var stopped = Work.Run(datasetFile, "--max-task-seconds", "0.001", "--checkpoint-records", "1");

        Assert.That(stopped.ExitCode, Is.EqualTo(3), stopped.ToString());
        Assert.That(stopped.Stdout, Does.Contain("stopped: 1 task(s) left (1 stopped at a checkpoint, 0 not started); run again to continue (exit code 3)"),
            stopped.ToString());

        var finished = Work.Run(datasetFile);

        Assert.That(finished.ExitCode, Is.Zero, finished.ToString());
        Assert.That(finished.Stdout, Does.Not.Contain("stopped:"), finished.ToString());
    }

    [Test]
    public void HelpAfterACommand_ShowsThatCommandsUsage_AndExits0()
    {
        var result = Work.Worker("run", "--help");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("letsdata run ").And.Contain("--max-task-seconds").And.Not.Contain("letsdata validate"), result.ToString());
    }

    [Test]
    public void StateAndTaskTableTogether_Exits2()
    {
        var result = Work.Worker("tasks", "list", "--dataset", "d.json", "--state", "s", "--task-table", "t");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("--state and --task-table name two different task stores; give one"), result.ToString());
    }

    [Test]
    public void StateThatIsAFile_Exits2ForRunAndTasksList()
    {
        var datasetFile = Work.WriteDataset(Work.SampleDataset("target-uris.json"));
        var state = Work.WriteText("state", "not a folder");

        var run = Work.Run(datasetFile, "--state", state);
        var list = Work.Worker("tasks", "list", "--dataset", datasetFile, "--state", state);

        foreach (var result in new[] { run, list })
        {
            Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
            Assert.That(result.Stderr, Does.Contain($"--state {state}: is a file; the task state is a folder"), result.ToString());
        }
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix permissions")]
    public void UnreadableDatasetFile_Exits2WithOneSentence_NoStackTrace()
    {
        var datasetFile = Work.WriteDataset(Work.SampleDataset("target-uris.json"));
        File.SetUnixFileMode(datasetFile, UnixFileMode.None);

        // validate says what it found (exit 1, on stdout); run refuses to start (exit 2, on stderr).
        foreach (var (command, exitCode) in new[] { ("run", 2), ("validate", 1) })
        {
            var result = AsAnotherUser([command, "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory]);

            Assert.That(result.ExitCode, Is.EqualTo(exitCode), result.ToString());
            Assert.That(result.Stderr + result.Stdout, Does.Contain($"the dataset file {datasetFile} cannot be read: permission denied"), result.ToString());
            Assert.That(result.Stderr + result.Stdout, Does.Not.Contain("   at ").And.Not.Contain("Exception"), result.ToString());
        }
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix permissions")]
    public void UnreadableManifestFile_Exits2NamingTheField()
    {
        var manifest = Work.WriteText("manifest.txt", "whirlwind.warc.gz\n");
        File.SetUnixFileMode(manifest, UnixFileMode.None);
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["manifestFile"] = new JsonObject
        {
            ["manifestType"] = "LocalManifestFile",
            ["readerType"] = "SINGLEFILEREADER",
            ["manifestFilePath"] = manifest,
        };
        var datasetFile = Work.WriteDataset(dataset);
        File.SetUnixFileMode(datasetFile, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = AsAnotherUser(["run", "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory]);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"manifestFile.manifestFilePath: the file {manifest} cannot be read: permission denied"), result.ToString());
        Assert.That(result.Stderr, Does.Not.Contain("   at "), result.ToString());
    }

    [Test]
    [Platform(Exclude = "Win", Reason = "Unix permissions")]
    public void OutputFolderNotWritable_ValidateFails_RunExits2BeforeTheFirstTask()
    {
        var datasetFile = Work.WriteDataset(Work.SampleDataset("target-uris.json"));
        var mode = File.GetUnixFileMode(Work.Directory);
        File.SetUnixFileMode(Work.Directory, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        ProcessResult validate, run;
        try
        {
            validate = AsAnotherUser(["validate", "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory]);
            run = AsAnotherUser(["run", "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory, "--state", Path.Combine(Path.GetTempPath(), "unused")]);
        }
        finally
        {
            File.SetUnixFileMode(Work.Directory, mode);
        }

        var expected = $"writeConnector: {Work.DocumentsPath} cannot be created in {Work.Directory}: permission denied";
        Assert.That(validate.ExitCode, Is.EqualTo(1), validate.ToString());
        Assert.That(validate.Stdout, Does.Contain(expected), validate.ToString());
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain(expected), run.ToString());
        Assert.That(run.Stdout, Does.Not.Contain("task(s) completed"), run.ToString());
    }

    // Permission checks mean nothing to root: as root the worker runs as user nobody (setpriv), otherwise as the test's user.
    private ProcessResult AsAnotherUser(string[] arguments)
    {
        if (Environment.UserName != "root")
        {
            return Work.Worker(arguments);
        }

        Assume.That(File.Exists("/usr/bin/setpriv"), Is.True, "setpriv (util-linux) runs the worker as another user");
        return ChildProcess.Run("/usr/bin/setpriv",
            [$"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", Repo.WorkerExe, .. arguments], Work.Directory);
    }
}

using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>The worker's command line and exit codes for input it cannot use, and the published layout.</summary>
public sealed class CommandLineTests : WorkerTest
{
    [Test]
    public void Run_BrokenConfig_Exits2WithTheProblemOnStderr()
    {
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Path.Combine(Work.Directory, "no-such-folder");

        var result = Work.Run(Work.WriteDataset(dataset));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("readConnector.rootPath").And.Contain("no-such-folder"), result.ToString());
        Assert.That(result.Stdout, Does.Not.Contain("task(s) completed"), "nothing ran");
        Assert.That(Directory.Exists(Path.Combine(Work.Directory, "out")), Is.False, "nothing was written");
    }

    [Test]
    public void Run_WrongPluginClass_Exits2()
    {
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["singleFileParserImplementationClassName"] = "LetsData.Plugins.Samples.NoSuchParser";

        var result = Work.Run(Work.WriteDataset(dataset));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("LetsData.Plugins.Samples.NoSuchParser"), result.ToString());
    }

    [Test]
    public void Run_DatasetFileMissing_Exits2()
    {
        var result = Work.Run(Path.Combine(Work.Directory, "no-such-dataset.json"));

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("no-such-dataset.json"), result.ToString());
    }

    [Test]
    public void UnknownCommand_Exits2WithUsage()
    {
        var result = Work.Worker("frobnicate", "--dataset", "x.json");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain("unknown command 'frobnicate'").And.Contain("Usage:"), result.ToString());
    }

    [TestCase("run")]
    [TestCase("run", "--dataset")]
    [TestCase("run", "--dataset", "d.json", "--concurrency", "0")]
    [TestCase("run", "--dataset", "d.json", "--concurrency", "many")]
    [TestCase("run", "--dataset", "d.json", "--frobnicate", "1")]
    [TestCase("validate", "--dataset", "d.json", "--concurrency", "2")]
    public void BadArguments_Exit2WithUsage(params string[] arguments)
    {
        var result = Work.Worker(arguments);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.StartWith("letsdata: ").And.Contain("Usage:"), result.ToString());
    }

    [TestCase("--help")]
    [TestCase("-h")]
    public void Help_Exits0WithUsage(string option)
    {
        var result = Work.Worker(option);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Usage:").And.Contain("letsdata [command] [options]"), result.ToString());
        Assert.That(result.StdoutLines.Where(l => l.StartsWith("  run ", StringComparison.Ordinal) || l.StartsWith("  validate ", StringComparison.Ordinal)),
            Has.Exactly(2).Items, "the commands are listed");
        Assert.That(result.Stderr, Is.Empty, result.ToString());
    }

    [Test]
    public void UnknownOption_Exits2_SuggestingTheClosestName()
    {
        var result = Work.Worker("run", "--datset", "d.json");

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr.Split('\n')[0].TrimEnd(), Is.EqualTo("letsdata: unknown option --datset for 'run' (did you mean --dataset?)"), result.ToString());
    }

    [Test]
    public void CommandHelp_ListsThatCommandsOptionsWithDescriptions()
    {
        var result = Work.Worker("errors", "list", "--help");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("letsdata errors list [options]").And.Contain("Exit codes"), result.ToString());
        Assert.That(result.StdoutLines.Single(l => l.TrimStart().StartsWith("--kind <K>", StringComparison.Ordinal)), Does.Contain("only ErrorDoc"));
        Assert.That(result.StdoutLines.Single(l => l.TrimStart().StartsWith("--limit <N>", StringComparison.Ordinal)), Does.Contain("at most N records"));
        Assert.That(result.Stdout, Does.Not.Contain("--concurrency"), "run's options are run's");
    }

    [Test]
    public void Completion_BashScriptAndTheSuggestDirective()
    {
        var script = Work.Worker("completion", "bash");
        const string Line = "letsdata run --checkpoint-r";
        var suggested = Work.Worker($"[suggest:{Line.Length}]", Line);

        Assert.That(script.ExitCode, Is.Zero, script.ToString());
        Assert.That(script.Stdout, Does.Contain("complete -o default -F _letsdata_complete letsdata").And.Contain("[suggest:${COMP_POINT}]"));
        Assert.That(suggested.ExitCode, Is.Zero, suggested.ToString());
        Assert.That(suggested.StdoutLines, Does.Contain("--checkpoint-records"), suggested.ToString());
    }

    [Test]
    public void Tables_OffATerminal_ArePlainText_EvenWithoutNoColor()
    {
        var datasetFile = Work.ThreeFileDataset(badSecond: true);
        Work.Run(datasetFile);

        foreach (var command in new[] { new[] { "tasks", "list" }, ["tasks", "show", "--task", "task-0002"], ["errors", "list"], ["status"] })
        {
            // Colour and borders are for a terminal: redirected output stays plain whether NO_COLOR (set in CI) is set or not.
            var result = Work.Worker([.. command, "--dataset", datasetFile], environment => environment.Remove("NO_COLOR"), TimeSpan.FromSeconds(60));

            Assert.That(result.ExitCode, Is.Zero, result.ToString());
            Assert.That(result.Stdout.Contains('\u001b'), Is.False, $"no ANSI escape: {result}");
            Assert.That(result.Stdout.Any(c => c is >= '\u2500' and <= '\u257f'), Is.False, $"no box drawing: {result}");
        }
    }

    [Test]
    public void PublishedSamplePlugin_TakesTheContractFromTheHost()
    {
        var pluginFolder = Path.GetDirectoryName(Repo.SamplesPluginDll)!;

        Assert.That(Path.Combine(pluginFolder, "LetsData.Plugins.Samples.deps.json"), Does.Exist);
        Assert.That(Path.Combine(pluginFolder, "LetsData.Interfaces.dll"), Does.Not.Exist,
            "a plugin folder must not carry its own LetsData.Interfaces.dll (type identity)");
        Assert.That(Path.Combine(Path.GetDirectoryName(Repo.WorkerDll)!, "LetsData.Interfaces.dll"), Does.Exist);
    }
}

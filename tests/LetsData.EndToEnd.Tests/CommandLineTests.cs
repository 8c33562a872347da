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
        Assert.That(result.Stdout, Does.Contain("Usage:").And.Contain("letsdata run").And.Contain("letsdata validate"), result.ToString());
        Assert.That(result.Stderr, Is.Empty, result.ToString());
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

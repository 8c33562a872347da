using LetsData.Runtime.DataTasks.Control;
using LetsData.Runtime.Hosting;
using LetsData.Runtime.Tests.Plugins;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary>
/// <see cref="PreparationAhead"/>: the early preparation is used only by a start that runs tasks of exactly its dataset
/// and plugin, and its problems are the start's problems.
/// </summary>
public class PreparationAheadTests
{
    private const string Parser = "LetsData.TestPlugins.GoodParser.CountingParser";
    private string _root = "";

    [SetUp]
    public void CreateFolder()
    {
        _root = Path.Combine(Path.GetTempPath(), "letsdata-ahead-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "input"));
        File.WriteAllText(Path.Combine(_root, "input", "a.json"), "{}\n");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    private string WriteDataset(string parserClass) =>
        LocalFilesDataset.Write(_root, "Ahead1", TestPluginBuilds.PathOf("GoodParser"), parserClass, "a.json");

    private StartDataTasks StartFor(PreparationAhead.Target target) =>
        new(DataTaskMode.Run, target.DatasetFile, target.PluginsDirectory, SmokeRun: false, ExpectedTasks: 1) { PluginAssembly = target.PluginAssembly };

    [Test]
    public async Task AStartOfItsDatasetAndPluginTakesTheEarlyPreparation()
    {
        var target = new PreparationAhead.Target(WriteDataset(Parser), _root, TestPluginBuilds.PathOf("GoodParser"));

        var outcome = await PreparationAhead.Start(target).TakeForAsync(StartFor(target));

        Assert.That(outcome, Is.Not.Null);
        using var prepared = outcome!.Prepared;
        Assert.That(outcome.Problems, Is.Empty);
        Assert.That(prepared, Is.Not.Null);
        Assert.That(prepared!.Plugin!.AssemblyPath, Is.EqualTo(target.PluginAssembly));
        Assert.That(prepared.Tasks, Has.Count.EqualTo(1));
    }

    [TestCase("validate")]
    [TestCase("another plugin")]
    [TestCase("a manifest from S3")]
    [TestCase("another dataset")]
    public async Task AnyOtherStartDropsIt(string difference)
    {
        var target = new PreparationAhead.Target(WriteDataset(Parser), _root, TestPluginBuilds.PathOf("GoodParser"));
        var start = StartFor(target);
        start = difference switch
        {
            "validate" => start with { Mode = DataTaskMode.Validate },
            "another plugin" => start with { PluginAssembly = Path.Combine(_root, "v2", "GoodParser.dll") },
            "a manifest from S3" => start with { ManifestText = "a.json\n" },
            _ => start with { DatasetFile = Path.Combine(_root, "other.json") },
        };

        var outcome = await PreparationAhead.Start(target).TakeForAsync(start);

        Assert.That(outcome, Is.Null, "the process prepares from its start message instead");
    }

    [Test]
    public async Task ItsProblemsAreTheStartsProblems()
    {
        var target = new PreparationAhead.Target(WriteDataset("LetsData.TestPlugins.GoodParser.NoSuchParser"), _root,
            TestPluginBuilds.PathOf("GoodParser"));

        var outcome = await PreparationAhead.Start(target).TakeForAsync(StartFor(target));

        Assert.That(outcome, Is.Not.Null);
        Assert.That(outcome!.Prepared, Is.Null);
        Assert.That(outcome.Problems, Has.Some.Contains("NoSuchParser"));
    }

    [Test]
    public void TheSupervisorNamesTheTargetInStageTwosEnvironment()
    {
        var target = new PreparationAhead.Target("/d/dataset.json", "/d/plugins", "/d/plugins/P/P.dll");

        var environment = PreparationAhead.Variables(target);

        Assert.That(environment, Is.EquivalentTo(new Dictionary<string, string>
        {
            [PreparationAhead.DatasetVariable] = target.DatasetFile,
            [PreparationAhead.PluginsVariable] = target.PluginsDirectory,
            [PreparationAhead.PluginVariable] = target.PluginAssembly,
        }));
    }
}

using System.Text.Json;
using LetsData.Runtime.Bridge;
using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Tests.Bridge;

/// <summary>A Python or JavaScript dataset: a project folder, no class names, the Single File Reader.</summary>
public class BridgeDatasetRulesTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot()
    {
        _root = Directory.CreateTempSubdirectory("letsdata-bridge-config-").FullName;
        Directory.CreateDirectory(Path.Combine(_root, "plugins", "proj", "letsdata_interfaces"));
        Directory.CreateDirectory(Path.Combine(_root, "input"));
    }

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    [TestCase("python", BridgeLanguage.Python)]
    [TestCase("JavaScript", BridgeLanguage.JavaScript)]
    public void ProjectFolderUnderPlugins_IsTheArtifact(string language, BridgeLanguage expected)
    {
        var dataset = DatasetLoader.Load(Write(language, "proj"), Path.Combine(_root, "plugins"));

        Assert.That(dataset.Bridge, Is.EqualTo(new BridgeProject(expected, Path.Combine(_root, "plugins", "proj"))));
        Assert.That(dataset.ArtifactFile, Is.EqualTo(Path.Combine(_root, "plugins", "proj", "letsdata_interfaces")));
    }

    [Test]
    public void ClassNamesAnOtherReaderTypeAndAFolderOutsideTheLayout_AreEachAProblem()
    {
        var path = Write("python", "missing", readerType: "Single File State Machine Reader",
            className: "Whatever.Parser");

        var problems = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(path, Path.Combine(_root, "plugins")))!.Problems;

        Assert.That(problems, Has.Some.StartsWith("readConnector.artifactFile:").And.Contain("no letsdata_interfaces/ folder"));
        Assert.That(problems, Has.Some.StartsWith("readConnector.singleFileStateMachineReaderImplementationClassName: not used for python"));
        Assert.That(problems, Has.Some.StartsWith("readConnector.readerType: python projects run as the Single File Reader, Kinesis Record Reader, DynamoDB Table Item Reader, DynamoDB Streams Record Reader or SQS Queue Reader"));
    }

    [Test]
    public void AnotherLanguage_IsStillRefused()
    {
        var problems = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Write("ruby", "proj"), Path.Combine(_root, "plugins")))!.Problems;

        Assert.That(problems, Has.Some.Contains("'ruby' is not supported"));
    }

    [TestCase(null, false)]
    [TestCase("node", false)]
    [TestCase("V8", true)]
    public void JavascriptEngine_ChoosesTheNodeHostOrV8(string? engine, bool onV8)
    {
        var dataset = DatasetLoader.Load(Write("javascript", "proj", javascriptEngine: engine), Path.Combine(_root, "plugins"));

        Assert.That(dataset.Bridge!.OnV8, Is.EqualTo(onV8));
        Assert.That(dataset.Bridge.HostLanguage, Is.EqualTo(onV8 ? null : BridgeLanguage.JavaScript), "V8 needs no host in the data-task process");
    }

    [TestCase("python", "v8", "Single File Reader", "readConnector.javascriptEngine: only for \"artifactImplementationLanguage\": \"javascript\"")]
    [TestCase("javascript", "spidermonkey", "Single File Reader", "readConnector.javascriptEngine: unknown value 'spidermonkey'")]
    [TestCase("javascript", "v8", "Kinesis Record Reader", "readConnector.javascriptEngine: \"v8\" runs the Single File Reader only")]
    public void JavascriptEngine_Misused_IsAProblem(string language, string engine, string readerType, string problem)
    {
        var path = Write(language, "proj", readerType, javascriptEngine: engine);

        var problems = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(path, Path.Combine(_root, "plugins")))!.Problems;

        Assert.That(problems, Has.Some.StartsWith(problem));
    }

    private string Write(string language, string artifact, string readerType = "Single File Reader", string? className = null,
        string? javascriptEngine = null)
    {
        var read = new Dictionary<string, object?>
        {
            ["connectorDestination"] = "LocalFiles",
            ["artifactImplementationLanguage"] = language,
            ["artifactFile"] = artifact,
            ["rootPath"] = Path.Combine(_root, "input"),
            ["readerType"] = readerType,
        };
        if (className is not null)
        {
            read["singleFileStateMachineReaderImplementationClassName"] = className;
        }

        if (javascriptEngine is not null)
        {
            read["javascriptEngine"] = javascriptEngine;
        }

        var path = Path.Combine(_root, "dataset.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["datasetName"] = "Bridged",
            ["readConnector"] = read,
            ["writeConnector"] = new { connectorDestination = "LocalFiles", outputPath = Path.Combine(_root, "documents") },
            ["errorConnector"] = new { connectorDestination = "LocalFiles", outputPath = Path.Combine(_root, "errors") },
            ["manifestFile"] = new { manifestType = "S3ReaderTextManifestFile", readerType = "SINGLEFILEREADER", fileContents = "a.txt" },
        }));
        return path;
    }
}

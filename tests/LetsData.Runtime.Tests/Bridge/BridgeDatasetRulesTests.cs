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

    [TestCase("SQS Queue Reader")]
    [TestCase("DynamoDB Streams Record Reader")]
    public void QueueAndStreamsReaderTypes_AreLetsDatasStatelessInterfaces(string readerType)
    {
        var problems = ProblemsOf(Write("python", "proj", readerType));

        Assert.That(problems, Has.None.Contains("projects run as the Single File Reader"));
        Assert.That(problems, Has.None.Contains("not used for python"));
    }

    [Test]
    public void BridgeEndpoint_IsTheProjectsEndpoint_AndNeedsNoHost()
    {
        const string url = "http://127.0.0.1:9000/2015-03-31/functions/function/invocations";
        var dataset = DatasetLoader.Load(Write("python", "proj", bridgeEndpoint: url), Path.Combine(_root, "plugins"));

        Assert.That(dataset.Bridge!.Endpoint, Is.EqualTo(new Uri(url)));
        Assert.That(dataset.Bridge.HostLanguage, Is.Null, "the image runs the code: no host in the data-task process");
        Assert.That(BridgeConfinement.EndpointPort(dataset.Bridge), Is.EqualTo(9000));
    }

    [TestCase("python", null, "localhost:9000/x", "readConnector.bridgeEndpoint: 'localhost:9000/x' is not an http:// or https:// URL")]
    [TestCase("python", null, "ftp://h/x", "readConnector.bridgeEndpoint: 'ftp://h/x' is not an http:// or https:// URL")]
    [TestCase("dotnet", null, "http://127.0.0.1:9000/x", "readConnector.bridgeEndpoint: only for \"artifactImplementationLanguage\": \"python\" or \"javascript\"")]
    [TestCase("javascript", "v8", "http://127.0.0.1:9000/x", "readConnector.bridgeEndpoint: not with \"javascriptEngine\": \"v8\"")]
    public void BridgeEndpoint_Misused_IsAProblem(string language, string? engine, string url, string problem)
    {
        var problems = ProblemsOf(Write(language, "proj", javascriptEngine: engine, bridgeEndpoint: url));

        Assert.That(problems, Has.Some.StartsWith(problem));
    }

    [Test]
    public void ProjectZipInS3_IsTheArtifactToFetch_ADllSelectorIsAProblem()
    {
        var dataset = DatasetLoader.Load(Write("python", "s3://bucket/projects/p.zip"), Path.Combine(_root, "plugins"));
        var problems = ProblemsOf(Write("python", "s3://bucket/projects/p.zip#P.dll"));

        Assert.That(dataset.PluginArtifact!.ToString(), Is.EqualTo("s3://bucket/projects/p.zip"));
        Assert.That(dataset.ArtifactFile, Is.EqualTo("s3://bucket/projects/p.zip"), "replaced by the unpacked folder once fetched");
        Assert.That(problems, Has.Some.StartsWith("readConnector.artifactFile: a python project zip has no '#Name.dll' selector"));
    }

    private string[] ProblemsOf(string path)
    {
        try
        {
            DatasetLoader.Load(path, Path.Combine(_root, "plugins"));
            return [];
        }
        catch (DatasetConfigException e)
        {
            return [.. e.Problems];
        }
    }

    private string Write(string language, string artifact, string readerType = "Single File Reader", string? className = null,
        string? javascriptEngine = null, string? bridgeEndpoint = null)
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

        if (bridgeEndpoint is not null)
        {
            read["bridgeEndpoint"] = bridgeEndpoint;
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

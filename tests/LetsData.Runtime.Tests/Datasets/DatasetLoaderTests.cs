using System.Text.Json;
using System.Text.Json.Nodes;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Connectors.LocalFiles;

namespace LetsData.Runtime.Tests.Datasets;

public class DatasetLoaderTests
{
    private string _root = "";

    [SetUp]
    public void CreateFolder()
    {
        _root = Path.Combine(Path.GetTempPath(), "letsdata-dataset-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "input"));
    }

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private string Write(string json)
    {
        var path = Path.Combine(_root, "dataset.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private string ValidJson(string errorOutput = "errors", object? manifest = null) => Json(new
    {
        datasetName = "Logs1",
        readConnector = new
        {
            connectorDestination = "LocalFiles",
            artifactImplementationLanguage = "dotnet",
            artifactFile = "LogPlugin/LogPlugin.dll",
            rootPath = Path.Combine(_root, "input"),
            readerType = "Single File Reader",
            singleFileParserImplementationClassName = "Logs.LogParser",
            maxRecordBytes = 4096,
        },
        writeConnector = new { connectorDestination = "LocalFiles", outputPath = Path.Combine(_root, "documents") },
        errorConnector = new { connectorDestination = "LocalFiles", outputPath = Path.Combine(_root, errorOutput) },
        computeEngine = new { computeEngineType = "Local", concurrency = 2 },
        manifestFile = manifest ?? new { manifestType = "S3ReaderTextManifestFile", readerType = "SINGLEFILEREADER", fileContents = "a.log\nb.log" },
    });

    [Test]
    public void AValidDatasetLoadsWithItsPathsResolved()
    {
        var dataset = DatasetLoader.Load(Write(ValidJson()), Path.Combine(_root, "plugins"));

        Assert.That(dataset.Name, Is.EqualTo("Logs1"));
        Assert.That(dataset.ReaderType, Is.EqualTo(ReaderType.SingleFileReader));
        Assert.That(dataset.ArtifactFile, Is.EqualTo(Path.Combine(_root, "plugins", "LogPlugin", "LogPlugin.dll")));
        Assert.That(dataset.Read, Is.EqualTo(new LocalFilesInput(Path.Combine(_root, "input"))));
        Assert.That(dataset.OutputPath, Is.EqualTo(Path.Combine(_root, "documents")));
        Assert.That(dataset.ErrorOutputPath, Is.EqualTo(Path.Combine(_root, "errors")));
        Assert.That(dataset.Concurrency, Is.EqualTo(2));
        Assert.That(dataset.MaxRecordBytes, Is.EqualTo(4096));
        Assert.That(dataset.ManifestText, Is.EqualTo("a.log\nb.log"));
    }

    [Test]
    public void ALocalManifestFileIsRead()
    {
        var manifestPath = Path.Combine(_root, "manifest.txt");
        File.WriteAllText(manifestPath, "x.log\n");

        var dataset = DatasetLoader.Load(Write(ValidJson(manifest: new { manifestType = "LocalManifestFile", manifestFilePath = manifestPath })),
            _root);

        Assert.That(dataset.ManifestText, Is.EqualTo("x.log\n"));
        Assert.That(dataset.ManifestSource, Is.EqualTo(manifestPath));
    }

    [Test]
    public void EveryProblemOfABrokenDatasetIsReportedWithItsField()
    {
        var json = Json(new
        {
            datasetName = "bad name!",
            readConnector = new
            {
                connectorDestination = "Kafka",
                artifactImplementationLanguage = "java",
                rootPath = Path.Combine(_root, "missing-folder"),
                readerType = "Nope Reader",
                maxRecordBytes = 0,
            },
            writeConnector = new { connectorDestination = "LocalFiles" },
            computeEngine = new { computeEngineType = "Spark", concurrency = 0 },
            manifestFile = new { manifestType = "Bogus", readerType = "AlsoBogus" },
        });

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Write(json), _root))!;

        var fields = new[]
        {
            "datasetName", "readConnector.connectorDestination", "readConnector.artifactImplementationLanguage",
            "readConnector.artifactFile", "readConnector.rootPath", "readConnector.readerType", "readConnector.maxRecordBytes",
            "writeConnector.outputPath", "errorConnector", "computeEngine.concurrency", "computeEngine.computeEngineType",
            "manifestFile.readerType", "manifestFile.manifestType",
        };
        foreach (var field in fields)
        {
            Assert.That(error.Problems, Has.One.StartsWith(field + ":"), field);
            Assert.That(error.Message, Does.Contain(field + ":"));
        }

        Assert.That(error.Problems, Has.Count.EqualTo(fields.Length));
        Assert.That(error.Problems.Single(p => p.StartsWith("readConnector.rootPath", StringComparison.Ordinal)),
            Does.Contain("missing-folder"));
        Assert.That(error.ConfigSource, Does.EndWith("dataset.json"));
    }

    [Test]
    public void AnUnknownFieldIsAProblemNamingItsPath()
    {
        var json = ValidJson().Replace("\"maxRecordBytes\"", "\"maxRecordByte\"", StringComparison.Ordinal);

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Write(json), _root))!;

        Assert.That(error.Problems.Single(), Is.EqualTo("readConnector.maxRecordByte: unknown field; did you mean maxRecordBytes?"));
    }

    [Test]
    public void EveryUnknownFieldAndEveryValueOfTheWrongKind_IsAProblemNamingItsPath()
    {
        var json = JsonNode.Parse(ValidJson())!.AsObject();
        json["readConnector"]!["rootpath"] = "input";
        json["computeEngine"] = new JsonObject { ["concurrency"] = "two" };
        json["manifestFile"]!["fileContents"] = 12;
        json["writeConnector"] = JsonValue.Create("documents/");
        json["colour"] = "blue";

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Write(json.ToJsonString()), _root))!;

        Assert.That(error.Problems, Is.EquivalentTo(new[]
        {
            "readConnector.rootpath: unknown field; did you mean rootPath?",
            "computeEngine.concurrency: expected a number, not the string \"two\"",
            "manifestFile.fileContents: expected a string, not the number 12",
            "writeConnector: expected an object, not the string \"documents/\"",
            "colour: unknown field",
        }));
    }

    [Test]
    public void AFieldGivenTwice_WithAnotherProblem_IsStillAConfigProblem_NotACrash()
    {
        // JsonObject refuses a duplicate name when enumerated; the serializer takes the last one.
        var json = ValidJson().Replace("\"datasetName\":\"Logs1\"", "\"datasetName\":\"Logs1\",\"datasetName\":\"Logs2\",\"colour\":1",
            StringComparison.Ordinal);
        Assert.That(json, Does.Contain("Logs2"), "the test's JSON has the duplicate");

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Write(json), _root))!;

        Assert.That(error.Problems, Has.Some.EqualTo("datasetName: given twice (line 1); remove one"));
        Assert.That(error.Problems, Has.Some.Contains("colour"));
    }

    [Test]
    public void AMissingDatasetFileIsAProblem()
    {
        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Path.Combine(_root, "nope.json"), _root))!;

        Assert.That(error.Problems.Single(), Does.Contain("does not exist"));
    }

    [Test]
    public void TheErrorConnectorMayNotWriteIntoTheDocumentsFolder()
    {
        // Both write <taskId>.jsonl: in one folder the error file would replace (or delete) the documents.
        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Write(ValidJson(errorOutput: "documents/")), _root))!;

        Assert.That(error.Problems.Single(), Does.StartWith("errorConnector.outputPath:"));
    }

    [Test]
    public void AFieldGivenTwiceInANestedObject_IsAProblemNamingItsPathAndLine()
    {
        var json = ValidJson().Replace("\"readerType\":\"Single File Reader\"",
            "\"readerType\":\"Single File Reader\",\n\"readerType\":\"Single File Reader\"", StringComparison.Ordinal);

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Write(json), _root))!;

        Assert.That(error.Problems, Is.EqualTo(new[] { "readConnector.readerType: given twice (line 2); remove one" }));
    }

    [Test]
    public void JsonNestedDeeperThan64Levels_IsAProblemNamingWhere_NotTheSerializersText()
    {
        var json = ValidJson().Replace("\"maxRecordBytes\":4096", "\"x\":" + new string('[', 70) + new string(']', 70), StringComparison.Ordinal);

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(Write(json), _root))!;

        Assert.That(error.Problems.Single(), Does.StartWith("readConnector.x").And.Contain("nests deeper than 64 levels (line 1)"));
        Assert.That(error.Problems.Single(), Does.Not.Contain("CurrentDepth"));
    }

    [Test]
    public void ADatasetFileThatIsNotUtf8_IsAProblemNamingTheByte()
    {
        var path = Write(ValidJson());
        var bytes = File.ReadAllBytes(path);
        var at = Array.IndexOf(bytes, (byte)'L'); // the L of "Logs1"
        bytes[at] = 0xFF;
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(path, _root))!;

        Assert.That(error.Problems.Single(), Is.EqualTo($"the dataset file {path} is not UTF-8 text: byte {at} (0xFF) starts no valid character"));
    }

    [Test]
    public void ADatasetFileThatIsAFolder_SaysSo()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "dataset.json")).FullName;

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(folder, _root))!;

        Assert.That(error.Problems.Single(), Is.EqualTo($"the dataset file {folder} is a folder, not a file"));
    }

    [Test]
    public void ADatasetFileOverTheCeiling_IsRefusedBeforeItIsRead()
    {
        var path = Path.Combine(_root, "huge.json");
        using (var file = File.Create(path))
        {
            file.SetLength(ConfigFileText.MaxDatasetBytes + 1); // sparse: no disk space taken
        }

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(path, _root))!;

        Assert.That(error.Problems.Single(), Is.EqualTo($"the dataset file {path} is {ConfigFileText.MaxDatasetBytes + 1} bytes; the limit is {ConfigFileText.MaxDatasetBytes} bytes"));
    }

    [Test]
    public void ALocalManifestThatIsAFolder_IsAProblemOfItsField()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_root, "manifest.txt")).FullName;

        var error = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(
            Write(ValidJson(manifest: new { manifestType = "LocalManifestFile", readerType = "SINGLEFILEREADER", manifestFilePath = folder })), _root))!;

        Assert.That(error.Problems.Single(), Is.EqualTo($"manifestFile.manifestFilePath: the file {folder} is a folder, not a file"));
    }
}

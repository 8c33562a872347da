using System.Security.Cryptography;
using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests.Security;

/// <summary>
/// A well-behaved plugin with a private dependency the worker does not ship (NewtonsoftV12Plugin: Newtonsoft.Json 12)
/// runs through the published worker and gets its own copy of that dependency: the fence costs a clean plugin nothing.
/// Newtonsoft.Json uses APIs the metadata policy fences (late-bound reflection, expression compilation), so the dataset
/// allows that reviewed assembly by hash, as the policy's own refusal message says to.
/// </summary>
public sealed class CleanPluginTests : WorkerTest
{
    private const string Project = "NewtonsoftV12Plugin";

    [OneTimeSetUp]
    public static void PublishPlugin() => TestPluginArtifacts.Publish(Project, "Shared");

    [Test]
    public void NewtonsoftV12Plugin_ValidatesAndRuns_WithItsOwnNewtonsoft()
    {
        const int Lines = 5;
        Work.WriteText(Path.Combine(Path.GetFileName(Work.InputPath), "records.jsonl"),
            string.Concat(Enumerable.Range(1, Lines).Select(i => $"{{\"n\":{i}}}\n")));
        var dataset = new JsonObject
        {
            ["datasetName"] = "NewtonsoftV12",
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "LocalFiles",
                ["artifactImplementationLanguage"] = "dotnet",
                ["artifactFile"] = TestPluginArtifacts.ArtifactFile(Project),
                ["rootPath"] = Work.InputPath,
                ["readerType"] = "Single File Reader",
                ["singleFileParserImplementationClassName"] = "LetsData.TestPlugins.Newtonsoft.NewtonsoftVersionParser",
            },
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Work.DocumentsPath },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Work.ErrorsPath },
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 2 },
            ["manifestFile"] = new JsonObject
            {
                ["manifestType"] = "S3ReaderTextManifestFile",
                ["readerType"] = "SINGLEFILEREADER",
                ["fileContents"] = "records.jsonl",
            },
        };
        var newtonsoft = Path.Combine(TestPluginArtifacts.PluginsDirectory, Project, "Newtonsoft.Json.dll");
        dataset["pluginPolicy"] = new JsonObject
        {
            ["allow"] = new JsonArray(new JsonObject
            {
                ["assembly"] = "Newtonsoft.Json",
                ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(newtonsoft))),
                ["reason"] = "a well-known serializer: reflection and expression compilation over the plugin's own types",
            }),
        };
        var datasetFile = Work.WriteDataset(dataset);
        string[] plugins = ["--plugins", TestPluginArtifacts.PluginsDirectory];

        var validate = Work.Worker(["validate", "--dataset", datasetFile, .. plugins]);
        var run = Work.Worker(["run", "--dataset", datasetFile, .. plugins]);

        Assert.That(validate.ExitCode, Is.Zero, validate.ToString());
        Assert.That(validate.StdoutLines[^1], Does.StartWith("valid"), validate.ToString());
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Does.Contain("1 task(s) completed, 0 errored"), run.ToString());
        var documents = Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0001.records.jsonl"));
        Assert.That(documents, Has.Count.EqualTo(Lines), run.ToString());
        var workerFolder = Path.GetDirectoryName(Repo.WorkerDll) + Path.DirectorySeparatorChar;
        Assert.Multiple(() =>
        {
            foreach (var document in documents)
            {
                Assert.That((string?)document["newtonsoftVersion"], Is.EqualTo("12.0.0.0"), document.ToJsonString());
                Assert.That((string?)document["newtonsoftFileVersion"], Does.StartWith("12.0.3"), document.ToJsonString());
                // The plugin's copy (the worker may load it from a shadow copy of the plugin folder), never the worker's.
                Assert.That((string?)document["newtonsoftLocation"], Does.EndWith("/Newtonsoft.Json.dll").And.Not.StartWith(workerFolder),
                    "loaded from the plugin's files");
                Assert.That((string?)document["json"], Is.EqualTo("[1,2,3]"), document.ToJsonString());
            }
        });
    }
}

using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.Artifacts;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.Bridge;

/// <summary>
/// A Python project as a zip in s3rver (<c>artifactFile: s3://bucket/key.zip</c>): the published worker's supervisor
/// fetches it into the plugin cache and the run writes what the project folder writes; a zip without LetsData's layout
/// fails validate naming the object.
/// </summary>
public class BridgeS3ZipTests
{
    private const string Warc = "whirlwind.warc.gz";

    private string _bucket = "";
    private string _directory = "";

    [OneTimeSetUp]
    public async Task PublishAndUpload()
    {
        PublishedWorker.EnsurePublished();
        _bucket = $"letsdata-bz-{Guid.NewGuid().ToString("N")[..12]}";
        var zips = Directory.CreateTempSubdirectory("letsdata-bridge-zips-").FullName;
        using var client = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true });
        await client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
        // Zipped in its folder (python-warc/letsdata_interfaces/...), as `zip -r python-warc.zip python-warc` makes it.
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = "projects/python-warc.zip",
            FilePath = TestZips.WriteFolder(Path.Combine(zips, "python-warc.zip"), Project, "python-warc"),
        });
        await client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = "projects/no-layout.zip",
            FilePath = TestZips.Write(Path.Combine(zips, "no-layout.zip"), ("SingleFileParser.py", "class SingleFileParser: pass")),
        });
        Directory.Delete(zips, recursive: true);
    }

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-bridge-s3zip-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static string Project => Path.Combine(Repo.Root, "tests", "TestPlugins", "Bridge", "python-warc");

    [Test]
    public void ProjectZipInS3_WritesWhatTheProjectFolderWrites()
    {
        var local = Run(Dataset("Local", Project));
        var fromS3 = Run(Dataset("FromS3", $"s3://{_bucket}/projects/python-warc.zip"));

        Assert.That(local.ExitCode, Is.Zero, local.ToString());
        Assert.That(fromS3.ExitCode, Is.Zero, fromS3.ToString());
        Assert.That(fromS3.Stderr, Does.Contain($"plugin s3://{_bucket}/projects/python-warc.zip downloaded (etag "), fromS3.ToString());
        var expected = File.ReadAllText(Path.Combine(_directory, "Local", "documents", "task-0001.whirlwind.warc.jsonl"));
        Assert.That(expected, Is.Not.Empty);
        Assert.That(File.ReadAllText(Path.Combine(_directory, "FromS3", "documents", "task-0001.whirlwind.warc.jsonl")), Is.EqualTo(expected));
        Assert.That(Directory.EnumerateFiles(Path.Combine(_directory, "cache"), "SingleFileParser.py", SearchOption.AllDirectories).Count(), Is.EqualTo(1),
            "unpacked once into the plugin cache");
    }

    [Test]
    public void ZipWithoutLetsDatasLayout_FailsValidateNamingTheObject()
    {
        var file = Write(Dataset("NoLayout", $"s3://{_bucket}/projects/no-layout.zip"));

        var result = PublishedWorker.Run(_directory, Environment(), "validate", "--dataset", file);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StdoutLines, Has.Some.StartsWith($"FAIL readConnector.artifactFile: s3://{_bucket}/projects/no-layout.zip: not a project in LetsData's layout"),
            result.ToString());
    }

    private ProcessResult Run(JsonObject dataset) =>
        PublishedWorker.Run(_directory, Environment(), "run", "--dataset", Write(dataset), "--state", Path.Combine(_directory, $"state-{dataset["datasetName"]}"));

    private Dictionary<string, string> Environment() => new() { ["LETSDATA_PLUGIN_CACHE"] = Path.Combine(_directory, "cache") };

    private string Write(JsonObject dataset)
    {
        var path = Path.Combine(_directory, $"{dataset["datasetName"]}.json");
        File.WriteAllText(path, dataset.ToJsonString());
        return path;
    }

    private JsonObject Dataset(string name, string artifactFile) => new()
    {
        ["datasetName"] = name,
        ["readConnector"] = new JsonObject
        {
            ["connectorDestination"] = "LocalFiles", ["artifactImplementationLanguage"] = "python", ["artifactFile"] = artifactFile,
            ["rootPath"] = Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "commoncrawl"), ["readerType"] = "Single File Reader",
        },
        ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(_directory, name, "documents") },
        ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(_directory, name, "errors") },
        ["manifestFile"] = new JsonObject { ["manifestType"] = "S3ReaderTextManifestFile", ["readerType"] = "SINGLEFILEREADER", ["fileContents"] = Warc },
    };
}

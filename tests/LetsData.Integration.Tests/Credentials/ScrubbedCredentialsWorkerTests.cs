using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.Credentials;

/// <summary>
/// The published worker reading from s3rver while a plugin, allowed past the policy on purpose, reads
/// <c>AWS_SECRET_ACCESS_KEY</c> for every record: the worker's S3 reads work, the plugin finds nothing. And a dataset
/// whose <c>accessGrantRoleArn</c> cannot be assumed is refused before anything runs, the problem naming the field.
/// </summary>
public class ScrubbedCredentialsWorkerTests
{
    private const string Plugin = "PolicyViolators";
    private const string ParserClass = "LetsData.TestPlugins.PolicyViolators.ViolatingParser";
    // One record: the parser's hints (offset 0 up to a newline) read a single record to the end of the file.
    private const string InputText = "the only record, read from s3rver";

    private string _bucket = "";
    private string _directory = "";

    [OneTimeSetUp]
    public async Task PublishAndUpload()
    {
        PublishedWorker.EnsurePublished();
        _bucket = $"letsdata-cred-{Guid.NewGuid().ToString("N")[..12]}";
        using var client = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true });
        await client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
        await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "input/records.txt", ContentBody = InputText });
    }

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-credentials-tests-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void APluginReadingTheSecretKeyVariableFindsNothingWhileTheWorkerStillReadsS3()
    {
        // The worker inherits this process's environment: the emulators' keys are in it, so there is a secret to find.
        Assert.That(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), Is.Not.Null.And.Not.Empty);

        var run = Worker("run", "--dataset", WriteDataset(Dataset()));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var documents = File.ReadAllLines(Path.Combine(_directory, "out", "documents", "task-0001.records.jsonl"))
            .Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
        Assert.That(documents, Has.Count.EqualTo(1), "the record read from s3rver reached the plugin");
        Assert.That(documents.Select(d => d["recordType"]!.GetValue<string>()), Is.All.EqualTo("Leak"));
        Assert.That(documents.Select(d => d.ContainsKey("secret") && d["secret"] is null), Is.All.True,
            "the plugin's Environment.GetEnvironmentVariable(\"AWS_SECRET_ACCESS_KEY\") returned null");
        Assert.That(run.Stderr, Does.Contain("worker AWS credentials from environment held in memory"));
    }

    [Test]
    public void ADatasetWhoseRoleCannotBeAssumedIsRefusedNamingAccessGrantRoleArn()
    {
        var dataset = Dataset();
        dataset["accessGrantRoleArn"] = "arn:aws:iam::123456789012:role/letsdata-reader";
        // Nothing listens on the discard port: STS cannot be reached, so the role cannot be assumed.
        var validate = PublishedWorker.Run(_directory, new Dictionary<string, string> { ["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:9" },
            "validate", "--dataset", WriteDataset(dataset));

        Assert.That(validate.ExitCode, Is.EqualTo(1), validate.ToString());
        Assert.That(validate.Stdout, Does.Contain("accessGrantRoleArn: STS AssumeRole of arn:aws:iam::123456789012:role/letsdata-reader failed: "));
        Assert.That(Directory.Exists(Path.Combine(_directory, "out")), Is.False, "nothing ran");
    }

    private ProcessResult Worker(params string[] arguments) => PublishedWorker.Run(_directory, new Dictionary<string, string>(), arguments);

    private JsonObject Dataset()
    {
        var pluginDll = PluginPath();
        return new JsonObject
        {
            ["datasetName"] = "CredentialLeak",
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "S3",
                ["artifactFile"] = pluginDll,
                ["bucketName"] = _bucket,
                ["prefix"] = "input/",
                ["readerType"] = "Single File Reader",
                ["singleFileParserImplementationClassName"] = ParserClass,
            },
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(_directory, "out", "documents") },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(_directory, "out", "errors") },
            ["manifestFile"] = new JsonObject { ["manifestType"] = "S3ReaderTextManifestFile", ["readerType"] = "SINGLEFILEREADER", ["fileContents"] = "records.txt" },
            // The widened policy of the adversarial case: the plugin's own assembly allowed by name and hash.
            ["pluginPolicy"] = new JsonObject
            {
                ["allow"] = new JsonArray(new JsonObject
                {
                    ["assembly"] = Plugin,
                    ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(pluginDll))),
                    ["reason"] = "test: reads AWS_SECRET_ACCESS_KEY to show the worker scrubbed it",
                }),
            },
        };
    }

    private string WriteDataset(JsonObject dataset)
    {
        var path = Path.Combine(_directory, "dataset.json");
        File.WriteAllText(path, dataset.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    // The test plugin as its own build left it (this project builds it first, never references it).
    private static string PluginPath()
    {
        var configuration = typeof(ScrubbedCredentialsWorkerTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var path = Path.Combine(Repo.Root, "tests", "TestPlugins", Plugin, "bin", configuration, "net10.0", Plugin + ".dll");
        Assert.That(path, Does.Exist, "the test plugin is built with this project");
        return path;
    }
}

using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.Artifacts;

/// <summary>
/// The published worker with the sample plugin loaded from a zip in s3rver, the manifest read from an S3 object and the
/// bundled WARC read from and written to S3: the same documents as a local run; the plugin cache across runs; and
/// <c>letsdata validate</c> / <c>run</c> naming the URI and the reason when an artifact or manifest is unusable.
/// </summary>
public class S3ArtifactWorkerTests
{
    private const string Warc = "whirlwind.warc.gz";
    private const string ParserClass = "LetsData.Plugins.Samples.TargetUris.TargetUriExtractor";

    private string _bucket = "";
    private string _directory = "";
    private string _pluginZip = "";

    private string CacheRoot => Path.Combine(_directory, "plugin cache");

    [OneTimeSetUp]
    public async Task PublishAndUpload()
    {
        PublishedWorker.EnsurePublished();
        _bucket = $"letsdata-wk-{Guid.NewGuid().ToString("N")[..12]}";
        var shared = Directory.CreateTempSubdirectory("letsdata-worker-zips-").FullName;
        // Zipped in its folder (LetsData.Plugins.Samples/...): the one-top-folder layout.
        _pluginZip = TestZips.WriteFolder(Path.Combine(shared, "samples.zip"), PublishedWorker.SamplesPluginFolder, Repo.SamplesPluginName);
        using var client = NewClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
        await PutFileAsync(client, "input/" + Warc, Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "commoncrawl", Warc));
        await PutTextAsync(client, "manifests/target-uris.txt", $"# one task\n{Warc}\n");
        await PutFileAsync(client, "bad/evil.zip", TestZips.Write(Path.Combine(shared, "evil.zip"), [.. TestZips.FakePlugin("Evil"), ("../evil", "gotcha")]));
        await PutFileAsync(client, "bad/no-plugin.zip", TestZips.Write(Path.Combine(shared, "no-plugin.zip"), ("readme.txt", "nothing to load")));
        await PutTextAsync(client, "bad/not-a-zip.zip", "plain text");
    }

    [OneTimeTearDown]
    public void DeleteZips() => Directory.Delete(Path.GetDirectoryName(_pluginZip)!, recursive: true);

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-worker-tests-").FullName;

    [TearDown]
    public void DeleteDirectory()
    {
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Passed)
        {
            Directory.Delete(_directory, recursive: true);
        }
        else
        {
            TestContext.Out.WriteLine($"kept for inspection: {_directory}");
        }
    }

    [Test]
    public async Task APluginZipAndALinkManifestInS3GiveTheLocalRunsDocuments()
    {
        var zipKey = await UploadPluginZipAsync("a/samples.zip");
        var local = Worker("run", "--dataset", WriteDataset("local.json", LocalDataset()), "--plugins", Repo.PluginsDirectory);
        Assert.That(local.ExitCode, Is.Zero, local.ToString());

        // --plugin-cache wins over LETSDATA_PLUGIN_CACHE (which Worker sets to CacheRoot).
        var optionCache = Path.Combine(_directory, "option cache");
        var fromS3 = Worker("run", "--dataset", WriteDataset("s3.json", S3Dataset($"s3://{_bucket}/{zipKey}", "out-a/")), "--plugin-cache", optionCache);

        Assert.That(fromS3.ExitCode, Is.Zero, fromS3.ToString());
        var localDocuments = await File.ReadAllTextAsync(Path.Combine(_directory, "local-out", "documents", "task-0001.whirlwind.warc.jsonl"));
        Assert.That(localDocuments, Is.Not.Empty);
        Assert.That(await GetTextAsync("out-a/docs/task-0001.whirlwind.warc.jsonl"), Is.EqualTo(localDocuments));
        Assert.That(fromS3.Stderr, Does.Contain($"plugin s3://{_bucket}/{zipKey} downloaded (etag "));
        Assert.That(Directory.EnumerateFiles(optionCache, Repo.SamplesPluginName + ".dll", SearchOption.AllDirectories).Count(), Is.EqualTo(1));
        Assert.That(Directory.Exists(CacheRoot), Is.False);
    }

    [Test]
    public async Task TheSecondRunUsesTheCacheAndANewUploadGetsAFreshFolder()
    {
        var zipKey = await UploadPluginZipAsync("b/samples.zip");
        var dataset = WriteDataset("s3.json", S3Dataset($"s3://{_bucket}/{zipKey}", "out-b/"));

        var first = Worker("run", "--dataset", dataset);
        var eTag = ETagIn(first.Stderr, "downloaded");
        var second = Worker("run", "--dataset", dataset);
        await UploadPluginZipAsync(zipKey, extraFile: ("CHANGES.txt", "a new build"));
        var third = Worker("run", "--dataset", dataset);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(third.ExitCode, Is.Zero, third.ToString());
        Assert.That(second.Stderr, Does.Contain($"plugin s3://{_bucket}/{zipKey} cached (etag {eTag})"));
        Assert.That(second.Stderr, Does.Not.Contain("downloaded"));
        var newETag = ETagIn(third.Stderr, "downloaded");
        Assert.That(newETag, Is.Not.EqualTo(eTag));
        var versionFolders = Directory.GetDirectories(CacheRoot, "*", SearchOption.AllDirectories)
            .Where(d => File.Exists(Path.Combine(d, Repo.SamplesPluginName, Repo.SamplesPluginName + ".dll")))
            .Select(Path.GetFileName).Order().ToList();
        Assert.That(versionFolders, Is.EqualTo(new[] { eTag, newETag }.Order().ToList()));
    }

    [TestCase("bad/evil.zip", "unsafe zip refused: the zip entry '../evil' points outside the plugin folder")]
    [TestCase("bad/not-a-zip.zip", "not a zip archive")]
    [TestCase("bad/missing.zip", "no such object")]
    [TestCase("bad/no-plugin.zip", "no plugin DLL inside")]
    public void ValidateNamesTheArtifactAndWhyItIsUnusable(string key, string reason)
    {
        var result = Worker("validate", "--dataset", WriteDataset("bad.json", S3Dataset($"s3://{_bucket}/{key}", "out-bad/")));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Does.Contain($"FAIL readConnector.artifactFile: s3://{_bucket}/{key}: {reason}"));
    }

    [Test]
    public async Task AMissingManifestObjectIsNamedByItsField()
    {
        var zipKey = await UploadPluginZipAsync("e/samples.zip");
        var dataset = S3Dataset($"s3://{_bucket}/{zipKey}", "out-e/");
        dataset["manifestFile"]!["manifestFileS3Uri"] = $"s3://{_bucket}/manifests/missing.txt";
        var file = WriteDataset("s3.json", dataset);

        var run = Worker("run", "--dataset", file);
        var validate = Worker("validate", "--dataset", file);

        var problem = $"manifestFile.manifestFileS3Uri: s3://{_bucket}/manifests/missing.txt: no such object";
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Stderr, Does.Contain(problem));
        Assert.That(validate.ExitCode, Is.EqualTo(1), validate.ToString());
        Assert.That(validate.Stdout, Does.Contain(problem));
    }

    private ProcessResult Worker(params string[] arguments) =>
        PublishedWorker.Run(_directory, new Dictionary<string, string> { ["LETSDATA_PLUGIN_CACHE"] = CacheRoot }, arguments);

    private static string ETagIn(string log, string verb)
    {
        var marker = $" {verb} (etag ";
        var start = log.IndexOf(marker, StringComparison.Ordinal);
        Assert.That(start, Is.GreaterThanOrEqualTo(0), $"no '{marker}' in the log:\n{log}");
        var eTag = log[(start + marker.Length)..];
        return eTag[..eTag.IndexOfAny([',', ')'])];
    }

    private JsonObject LocalDataset() => new()
    {
        ["datasetName"] = "TargetUris",
        ["readConnector"] = new JsonObject
        {
            ["connectorDestination"] = "LocalFiles",
            ["artifactFile"] = $"{Repo.SamplesPluginName}/{Repo.SamplesPluginName}.dll",
            ["rootPath"] = Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "commoncrawl"),
            ["readerType"] = "Single File Reader",
            ["singleFileParserImplementationClassName"] = ParserClass,
        },
        ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(_directory, "local-out", "documents") },
        ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(_directory, "local-out", "errors") },
        ["manifestFile"] = new JsonObject { ["manifestType"] = "S3ReaderTextManifestFile", ["readerType"] = "SINGLEFILEREADER", ["fileContents"] = Warc },
    };

    private JsonObject S3Dataset(string artifactFile, string outputPrefix) => new()
    {
        // Not the local dataset's name: run keeps task state per dataset name (.letsdata/state/<name>/ in the
        // shared working folder), and the local run's completed task would be skipped here.
        ["datasetName"] = "TargetUrisFromS3",
        ["readConnector"] = new JsonObject
        {
            ["connectorDestination"] = "S3",
            ["artifactFile"] = artifactFile,
            ["bucketName"] = _bucket,
            ["prefix"] = "input/",
            ["readerType"] = "Single File Reader",
            ["singleFileParserImplementationClassName"] = ParserClass,
        },
        ["writeConnector"] = new JsonObject { ["connectorDestination"] = "S3", ["bucketName"] = _bucket, ["prefix"] = outputPrefix + "docs/" },
        ["errorConnector"] = new JsonObject { ["connectorDestination"] = "S3", ["bucketName"] = _bucket, ["prefix"] = outputPrefix + "errors/" },
        ["manifestFile"] = new JsonObject
        {
            ["manifestType"] = "S3ReaderS3LinkManifestFile",
            ["readerType"] = "SINGLEFILEREADER",
            ["manifestFileS3Uri"] = $"s3://{_bucket}/manifests/target-uris.txt",
        },
    };

    private string WriteDataset(string name, JsonObject dataset)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, dataset.ToJsonString());
        return path;
    }

    /// <summary>Uploads the sample plugin's zip (with one more file when given, which changes its ETag).</summary>
    private async Task<string> UploadPluginZipAsync(string key, (string Name, string Text)? extraFile = null)
    {
        var zip = _pluginZip;
        if (extraFile is { } extra)
        {
            zip = Path.Combine(_directory, "changed.zip");
            File.Copy(_pluginZip, zip);
            using var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Update);
            await using (var writer = new StreamWriter(archive.CreateEntry($"{Repo.SamplesPluginName}/{extra.Name}").Open()))
            {
                await writer.WriteAsync(extra.Text);
            }

            // The zip's central directory is written when the archive is disposed: before the upload.
            archive.Dispose();
        }

        using var client = NewClient();
        await PutFileAsync(client, key, zip);
        return key;
    }

    private async Task<string> GetTextAsync(string key)
    {
        using var client = NewClient();
        using var response = await client.GetObjectAsync(_bucket, key);
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }

    private Task PutFileAsync(AmazonS3Client client, string key, string path) =>
        client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, FilePath = path });

    private Task PutTextAsync(AmazonS3Client client, string key, string text) =>
        client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, ContentBody = text });

    private static AmazonS3Client NewClient() => new(new AmazonS3Config { ForcePathStyle = true });
}

using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.Artifacts;
using LetsData.Integration.Tests.AwsEmulators;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Kinesis;
using LetsData.Integration.Tests.Support;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Integration.Tests.Chains;

/// <summary>
/// Every write and read connector end to end through the published worker (<c>letsdata run</c> as a child process)
/// against the emulators: S3 → Kinesis (gzip records), Kinesis → DynamoDB with the plugin loaded from an S3 zip,
/// DynamoDB table → S3, S3 → DynamoDB, errors → S3, S3 → DynamoDB table → its stream → local files. Each stage's
/// output is compared with what the files hold.
/// </summary>
public class ConnectorChainTests
{
    private const int Pages = 300;
    private const string WetKey = "input/pages.warc.wet.gz";
    private const string WetParser = "LetsData.Plugins.Samples.WetText.WetTextParser";
    private const string JsonReader = "LetsData.Plugins.Samples.Json.JsonRecordReader";

    private string _bucket = "";
    private string _directory = "";
    private string _zipUri = "";
    private AmazonS3Client _s3 = null!;
    private KinesisClient _kinesis = null!;
    private AmazonDynamoDBClient _dynamo = null!;

    [OneTimeSetUp]
    public async Task PublishAndUpload()
    {
        PublishedWorker.EnsurePublished();
        _s3 = S3Clients.Create(forcePathStyle: true);
        _kinesis = KinesisStreams.NewClient();
        _dynamo = DynamoDBTestTables.NewClient();
        _bucket = $"letsdata-chain-{Guid.NewGuid().ToString("N")[..10]}";
        await _s3.PutBucketAsync(_bucket);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = WetKey, InputStream = new MemoryStream(SyntheticWet.Gzip(Pages)) });
        var zips = Directory.CreateTempSubdirectory("letsdata-chain-zip-").FullName;
        var zip = TestZips.WriteFolder(Path.Combine(zips, "samples.zip"), PublishedWorker.SamplesPluginFolder, Repo.SamplesPluginName);
        await _s3.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "plugins/samples.zip", FilePath = zip });
        Directory.Delete(zips, recursive: true);
        _zipUri = $"s3://{_bucket}/plugins/samples.zip";
    }

    [OneTimeTearDown]
    public void DisposeClients()
    {
        _s3.Dispose();
        _kinesis.Dispose();
        _dynamo.Dispose();
    }

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-chain-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task S3ToKinesisToDynamoDBToS3KeepsEveryDocument()
    {
        var stream = await KinesisStreams.CreateAsync(_kinesis, shards: 2);
        var table = await DynamoDBTestTables.CreateAsync(_dynamo, "documentId");

        // 1. S3 → Kinesis, gzip records: the stream holds exactly the local run's documents.
        var local = Run(Dataset("Local", S3Read(WetParser), new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "local-docs" }, WetManifest()));
        Assert.That(local.ExitCode, Is.Zero, local.ToString());
        var expected = File.ReadAllLines(Path.Combine(_directory, "local-docs", "task-0001.pages.warc.wet.jsonl"));
        Assert.That(expected, Has.Length.EqualTo(Pages));
        var toKinesis = Run(Dataset("ToKinesis", S3Read(WetParser),
            new JsonObject { ["connectorDestination"] = "Kinesis", ["streamName"] = stream, ["compressRecords"] = true }, WetManifest()));
        Assert.That(toKinesis.ExitCode, Is.Zero, toKinesis.ToString());
        var records = await KinesisStreams.ReadAllAsync(_kinesis, stream);
        Assert.That(records.Select(r => Gunzip(r.Data.ToArray())), Is.EquivalentTo(expected));
        Assert.That(records.Select(r => r.PartitionKey), Is.EquivalentTo(Enumerable.Range(0, Pages).Select(SyntheticWet.UrlOf)));

        // 2. Kinesis → DynamoDB, the reader plugin from an S3 zip: one item per document, fields as written.
        var kinesisRead = new JsonObject
        {
            ["connectorDestination"] = "Kinesis", ["streamName"] = stream, ["artifactFile"] = _zipUri,
            ["readerType"] = "KINESISSTREAMREADER", ["kinesisRecordReaderClassName"] = JsonReader,
        };
        var toTable = Run(Dataset("ToTable", kinesisRead, new JsonObject { ["connectorDestination"] = "DynamoDB", ["tableName"] = table }, null));
        Assert.That(toTable.ExitCode, Is.Zero, toTable.ToString());
        Assert.That(toTable.Stdout, Does.Contain("Dataset ToTable: 2 task(s) completed, 0 errored"), toTable.ToString());
        Assert.That(toTable.Stdout, Does.Contain($"documents {Pages},"), toTable.ToString());
        var items = await DynamoDBTestTables.ScanAllAsync(_dynamo, table);
        Assert.That(items.Select(i => i["url"].S), Is.EquivalentTo(Enumerable.Range(0, Pages).Select(SyntheticWet.UrlOf)));
        var expectedByUrl = expected.Select(line => JsonDocument.Parse(line).RootElement).ToDictionary(e => e.GetProperty("url").GetString()!);
        foreach (var item in items)
        {
            var document = expectedByUrl[item["url"].S];
            Assert.That(item["text"].S, Is.EqualTo(document.GetProperty("text").GetString()));
            Assert.That(item["documentId"].S, Is.EqualTo(document.GetProperty("documentId").GetString()));
        }

        // 3. DynamoDB table → S3 in two scan segments: every document once, as the first stage wrote it.
        var tableRead = new JsonObject
        {
            ["connectorDestination"] = "DynamoDB", ["tableName"] = table, ["totalSegments"] = 2,
            ["artifactFile"] = $"{Repo.SamplesPluginName}/{Repo.SamplesPluginName}.dll", ["readerType"] = "DynamoDB Table Item Reader",
        };
        var toS3 = Run(Dataset("TableToS3", tableRead, S3Write("from-table/"), null));
        Assert.That(toS3.ExitCode, Is.Zero, toS3.ToString());
        var lines = new List<string>();
        foreach (var segment in new[] { "segment-0000", "segment-0001" })
        {
            lines.AddRange((await GetTextAsync($"from-table/{segment}.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }

        Assert.That(lines.Select(Canonical), Is.EquivalentTo(expected.Select(Canonical)));
    }

    [Test]
    public async Task S3ToDynamoDBWritesOneItemPerDocumentAndErrorsGoToS3()
    {
        var table = await DynamoDBTestTables.CreateAsync(_dynamo, "documentId");
        // A second, truncated file: its task errors after the good records; the error record lands in S3.
        var truncated = SyntheticWet.Gzip(5);
        await _s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket, Key = "input/truncated.warc.wet.gz", InputStream = new MemoryStream(truncated[..^20]),
        });

        var result = Run(Dataset("S3ToTable", S3Read(WetParser), new JsonObject { ["connectorDestination"] = "DynamoDB", ["tableName"] = table },
            new JsonObject { ["manifestType"] = "S3ReaderTextManifestFile", ["fileContents"] = $"{WetKey}\ninput/truncated.warc.wet.gz" }));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        // The truncated file's good pages carry the same URLs (= document ids) as the first file's: same items.
        var items = await DynamoDBTestTables.ScanAllAsync(_dynamo, table);
        Assert.That(items.Select(i => i["url"].S), Is.EquivalentTo(Enumerable.Range(0, Pages).Select(SyntheticWet.UrlOf)));
        Assert.That(items.Select(i => i["documentId"].S), Is.EquivalentTo(Enumerable.Range(0, Pages).Select(SyntheticWet.UrlOf)));
        Assert.That(result.Stdout, Does.Contain("ERRORED task-0002"), result.ToString());
        var errorObjects = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = "errors/task-0002" });
        Assert.That(errorObjects.S3Objects.Select(o => o.Key), Is.EqualTo(new[] { "errors/task-0002.truncated.warc.wet.errored.jsonl" }),
            "named by the task and its input file");
        var errors = await GetTextAsync(errorObjects.S3Objects.Single().Key);
        Assert.That(errors, Does.Contain("\"kind\":\"TaskError\"").And.Contain("truncated.warc.wet.gz"));

        // errors list reads them back from S3: the record as stored, and the task's alone with --task.
        var listed = Worker("errors", "list", "--dataset", DatasetFile("S3ToTable"), "--json");
        Assert.That(listed.ExitCode, Is.Zero, listed.ToString());
        var records = JsonNode.Parse(listed.Stdout)!.AsArray();
        Assert.That(records.Select(r => r!.ToJsonString()), Is.EqualTo(new[] { JsonNode.Parse(errors.Trim())!.ToJsonString() }));
        var oneTask = Worker("errors", "list", "--dataset", DatasetFile("S3ToTable"), "--task", "task-0002");
        Assert.That(oneTask.Stdout, Does.Contain("TaskError").And.Contain("truncated.warc.wet.gz")
            .And.Contain($"1 error record(s) in s3://{_bucket}/errors/"), oneTask.ToString());
        var none = Worker("errors", "list", "--dataset", DatasetFile("S3ToTable"), "--task", "task-0001", "--json");
        Assert.That(JsonNode.Parse(none.Stdout)!.AsArray(), Is.Empty, "task-0001 completed without errors\n" + none);
    }

    [Test]
    public async Task S3ToADynamoDBTableWithAStream_ThenTheStreamToFiles_KeepsEveryDocument_OneInsertPerKey()
    {
        var table = await DynamoDBTestTables.CreateAsync(_dynamo, "documentId",
            stream: new Amazon.DynamoDBv2.Model.StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE });
        var local = Run(Dataset("Local", S3Read(WetParser), new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "local-docs" }, WetManifest()));
        Assert.That(local.ExitCode, Is.Zero, local.ToString());
        var expected = File.ReadAllLines(Path.Combine(_directory, "local-docs", "task-0001.pages.warc.wet.jsonl"));

        // 1. A plugin's documents to a table with a NEW_IMAGE stream.
        var toTable = Run(Dataset("ToStreamedTable", S3Read(WetParser), new JsonObject { ["connectorDestination"] = "DynamoDB", ["tableName"] = table }, WetManifest()));
        Assert.That(toTable.ExitCode, Is.Zero, toTable.ToString());

        // 2. The stream back into files by the sample JsonRecordReader: no user code.
        var streamRead = new JsonObject
        {
            ["connectorDestination"] = "DynamoDBStreams", ["tableName"] = table,
            ["artifactFile"] = $"{Repo.SamplesPluginName}/{Repo.SamplesPluginName}.dll",
            ["readerType"] = "DynamoDB Streams Record Reader", ["dynamoDBStreamsRecordReaderClassName"] = JsonReader,
        };
        var toFiles = Run(Dataset("StreamToFiles", streamRead, new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "from-stream" }, null));
        Assert.That(toFiles.ExitCode, Is.Zero, toFiles.ToString());
        Assert.That(toFiles.Stdout, Does.Contain($"documents {Pages},"), toFiles.ToString());
        var lines = Directory.GetFiles(Path.Combine(_directory, "from-stream"), "*.jsonl").SelectMany(File.ReadAllLines).Where(l => l.Length > 0);
        Assert.That(lines.Select(Canonical), Is.EquivalentTo(expected.Select(Canonical)));

        using var streams = DynamoDBStreamsApi.FromEnvironment();
        var records = await streams.ReadStreamAsync((await _dynamo.DescribeTableAsync(table)).Table.LatestStreamArn);
        Assert.That(records.Select(r => (string?)r["eventName"]), Is.All.EqualTo("INSERT"));
        Assert.That(records.Select(r => (string?)r["dynamodb"]!["Keys"]!["documentId"]!["S"]),
            Is.EquivalentTo(Enumerable.Range(0, Pages).Select(SyntheticWet.UrlOf)), "one INSERT per key");
    }

    private JsonObject Dataset(string name, JsonObject read, JsonObject write, JsonObject? manifest)
    {
        var dataset = new JsonObject
        {
            ["datasetName"] = name,
            ["readConnector"] = read,
            ["writeConnector"] = write,
            ["errorConnector"] = S3Write("errors/"),
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 2 },
        };
        if (manifest is not null)
        {
            dataset["manifestFile"] = manifest;
        }

        return dataset;
    }

    private JsonObject S3Read(string parser) => new()
    {
        ["connectorDestination"] = "S3", ["bucketName"] = _bucket,
        ["artifactFile"] = $"{Repo.SamplesPluginName}/{Repo.SamplesPluginName}.dll",
        ["readerType"] = "Single File Reader", ["singleFileParserImplementationClassName"] = parser,
    };

    private JsonObject S3Write(string prefix) => new() { ["connectorDestination"] = "S3", ["bucketName"] = _bucket, ["prefix"] = prefix };

    private static JsonObject WetManifest() => new() { ["manifestType"] = "S3ReaderTextManifestFile", ["fileContents"] = WetKey };

    private ProcessResult Run(JsonObject dataset)
    {
        var file = DatasetFile((string)dataset["datasetName"]!);
        File.WriteAllText(file, dataset.ToJsonString());
        return Worker("run", "--dataset", file, "--plugins", Repo.PluginsDirectory);
    }

    private string DatasetFile(string name) => Path.Combine(_directory, $"{name}.json");

    private ProcessResult Worker(params string[] arguments) =>
        PublishedWorker.Run(_directory, new Dictionary<string, string> { ["LETSDATA_PLUGIN_CACHE"] = Path.Combine(_directory, "cache") }, arguments);

    private async Task<string> GetTextAsync(string key)
    {
        using var response = await _s3.GetObjectAsync(_bucket, key);
        using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    private static string Gunzip(byte[] data)
    {
        using var gzip = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>The JSON with its fields in name order: a document read back may list its fields in another order.</summary>
    private static string Canonical(string json) =>
        JsonSerializer.Serialize(Sorted(JsonNode.Parse(json)!));

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value?.DeepClone())))),
        JsonArray a => new JsonArray(a.Select(v => Sorted(v?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };
}

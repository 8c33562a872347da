using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Kinesis;
using LetsData.Integration.Tests.Sqs;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.Chains;

/// <summary>
/// <c>letsdata run --create-destinations</c> through the published worker against the emulators: a Kinesis stream, a
/// DynamoDB table and an SQS queue that do not exist are created before the tasks start and receive every document;
/// a second run finds them and leaves them as they are; without the flag a missing destination fails the run.
/// </summary>
public class CreateDestinationsTests
{
    private const int Pages = 40;
    private const string WetFile = "input/pages.warc.wet.gz";
    private static readonly string SamplesDll = $"{Repo.SamplesPluginName}/{Repo.SamplesPluginName}.dll";

    private string _directory = "";

    [OneTimeSetUp]
    public void Publish() => PublishedWorker.EnsurePublished();

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Directory.CreateTempSubdirectory("letsdata-create-destinations-").FullName;
        Directory.CreateDirectory(Path.Combine(_directory, "input"));
        File.WriteAllBytes(Path.Combine(_directory, WetFile), SyntheticWet.Gzip(Pages));
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static string NewName() => $"letsdata-cd-{Guid.NewGuid().ToString("N")[..12]}";

    [Test]
    public async Task AMissingKinesisStreamIsCreatedWithKinesisShardCountShards_ASecondRunLeavesIt()
    {
        var stream = NewName();
        var write = new JsonObject { ["connectorDestination"] = "Kinesis", ["streamName"] = stream, ["kinesisShardCount"] = 3 };

        var first = Run("ToStream", write, createDestinations: true);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.ToString(), Does.Contain($"writeConnector: created Kinesis stream {stream} with 3 shard(s)"));
        Assert.That(first.ToString(), Does.Contain("region: 'us-east-1' is not applied; every AWS client of the dataset takes its region from AWS_REGION"));
        using var kinesis = KinesisStreams.NewClient();
        Assert.That((await kinesis.ListShardsAsync(stream)).Count, Is.EqualTo(3));
        Assert.That(await KinesisStreams.ReadAllAsync(kinesis, stream), Has.Count.EqualTo(Pages));

        var second = Run("ToStream", write, createDestinations: true);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.ToString(), Does.Contain($"writeConnector: Kinesis stream {stream} exists (3 open shard(s), ACTIVE); left as it is"));
    }

    [Test]
    public async Task AMissingDynamoDBTableIsCreatedKeyedByTheKeyAttribute_ASecondRunLeavesIt()
    {
        var table = NewName();
        var write = new JsonObject { ["connectorDestination"] = "DynamoDB", ["tableName"] = table, ["keyAttributeName"] = "pageId" };

        var first = Run("ToTable", write, createDestinations: true);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.ToString(), Does.Contain($"writeConnector: created DynamoDB table {table} (partition key pageId, a string; on-demand billing)"));
        using var dynamo = DynamoDBTestTables.NewClient();
        var description = (await dynamo.DescribeTableAsync(table)).Table;
        Assert.That(description.KeySchema.Select(k => (k.AttributeName, k.KeyType.Value)), Is.EqualTo(new[] { ("pageId", "HASH") }));
        Assert.That(description.BillingModeSummary?.BillingMode, Is.EqualTo(BillingMode.PAY_PER_REQUEST));
        Assert.That(await DynamoDBTestTables.ScanAllAsync(dynamo, table), Has.Count.EqualTo(Pages));

        var second = Run("ToTable", write, createDestinations: true);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.ToString(), Does.Contain($"writeConnector: DynamoDB table {table} exists; left as it is"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task AMissingSqsQueueIsCreated_FifoByItsName_ASecondRunLeavesIt(bool fifo)
    {
        var queue = NewName() + (fifo ? ".fifo" : "");
        var write = new JsonObject { ["connectorDestination"] = "SQS", ["queueName"] = queue };

        var first = Run("ToQueue", write, createDestinations: true);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.ToString(), Does.Contain($"writeConnector: created SQS queue {queue}{(fifo ? " (FIFO)" : "")}"));
        using var sqs = SqsQueues.NewClient();
        var attributes = (await sqs.GetQueueAttributesAsync(await SqsQueues.UrlAsync(sqs, queue), ["FifoQueue"])).Attributes;
        Assert.That(attributes?.GetValueOrDefault("FifoQueue") ?? "false", Is.EqualTo(fifo ? "true" : "false"));
        Assert.That(await SqsQueues.CountAsync(sqs, queue), Is.EqualTo(Pages));

        var second = Run("ToQueue", write, createDestinations: true);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.ToString(), Does.Contain($"writeConnector: SQS queue {queue} exists; left as it is"));
    }

    [Test]
    public async Task WithoutTheFlagAMissingQueueFailsTheRunAndIsNotCreated()
    {
        var queue = NewName();

        var run = Run("ToNoQueue", new JsonObject { ["connectorDestination"] = "SQS", ["queueName"] = queue }, createDestinations: false);

        Assert.That(run.ExitCode, Is.Not.Zero, run.ToString());
        using var sqs = SqsQueues.NewClient();
        Assert.ThrowsAsync<Amazon.SQS.Model.QueueDoesNotExistException>(() => SqsQueues.UrlAsync(sqs, queue));
    }

    [Test]
    public void ValidatePrintsALetsDataOnlyFieldAsAWarning()
    {
        var run = Run("Checked", new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "docs" }, createDestinations: false, command: "validate");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Stdout, Does.Contain("WARN region: 'us-east-1' is not applied;"), run.ToString());
    }

    private ProcessResult Run(string name, JsonObject write, bool createDestinations, string command = "run")
    {
        var dataset = new JsonObject
        {
            ["datasetName"] = name,
            ["region"] = "us-east-1", // LetsData's field: a warning, not an error
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "LocalFiles", ["rootPath"] = ".", ["artifactFile"] = SamplesDll,
                ["readerType"] = "Single File Reader", ["singleFileParserImplementationClassName"] = "LetsData.Plugins.Samples.WetText.WetTextParser",
            },
            ["writeConnector"] = write.DeepClone(),
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "errors" },
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 1 },
            ["manifestFile"] = new JsonObject { ["manifestType"] = "S3ReaderTextManifestFile", ["fileContents"] = WetFile },
        };
        var file = Path.Combine(_directory, $"{name}.json");
        File.WriteAllText(file, dataset.ToJsonString());
        string[] arguments = command == "run"
            ? ["run", "--dataset", file, "--plugins", Repo.PluginsDirectory, "--state", Path.Combine(_directory, $"state-{name}")]
            : [command, "--dataset", file, "--plugins", Repo.PluginsDirectory];
        return PublishedWorker.Run(_directory, new Dictionary<string, string>(), createDestinations ? [.. arguments, "--create-destinations"] : arguments);
    }
}

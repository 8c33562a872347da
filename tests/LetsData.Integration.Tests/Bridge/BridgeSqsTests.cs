using System.Text.Json.Nodes;
using Amazon.SQS;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.Sqs;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.Bridge;

/// <summary>
/// A Python or JavaScript <c>QueueMessageReader</c> (tests/TestPlugins/Bridge/python-readers, js-readers) run by the
/// published worker against the SQS emulator, through the bridge host inside the confined data-task processes: every
/// message becomes its document or, for the one the reader raises on, an error record naming the function, and the
/// queue ends empty.
/// </summary>
public class BridgeSqsTests
{
    private string _directory = "";
    private AmazonSQSClient _sqs = null!;

    [OneTimeSetUp]
    public void Publish()
    {
        PublishedWorker.EnsurePublished();
        _sqs = SqsQueues.NewClient();
    }

    [OneTimeTearDown]
    public void DisposeTheClient() => _sqs.Dispose();

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-bridge-sqs-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [TestCase("python", "python-readers")]
    [TestCase("javascript", "js-readers")]
    public async Task QueueMessageReader_WritesEachMessagesDocumentAnErrorRecordForTheOneItRaisesOn_AndEmptiesTheQueue(string language, string project)
    {
        var queue = await SqsQueues.CreateAsync(_sqs);
        var bodies = Enumerable.Range(0, 30).Select(i => $"doc{i}").Append("raise").ToList();
        await SqsQueues.SendAsync(_sqs, queue, bodies);
        var dataset = new JsonObject
        {
            ["datasetName"] = "BridgedQueue",
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "SQS", ["queueName"] = queue, ["readerType"] = "SQS Queue Reader",
                ["artifactImplementationLanguage"] = language, ["artifactFile"] = Path.Combine(Repo.Root, "tests", "TestPlugins", "Bridge", project),
            },
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "documents" },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "errors" },
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 2 },
            ["manifestFile"] = new JsonObject { ["sqsReaderTaskStopCondition"] = "DrainQueues", ["sqsReaderTaskStopAfterConsecutiveEmptyReceives"] = 2 },
        };
        var file = Path.Combine(_directory, "dataset.json");
        File.WriteAllText(file, dataset.ToJsonString());

        var result = PublishedWorker.Run(_directory, new Dictionary<string, string>(), "run", "--dataset", file, "--plugins", _directory,
            "--state", Path.Combine(_directory, "state"));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Dataset BridgedQueue: 2 task(s) completed, 0 errored"), result.ToString());
        var documents = Lines("documents");
        Assert.That(documents.Select(d => (string)d["documentId"]!), Is.EquivalentTo(bodies.Take(30)));
        Assert.That(documents.Select(d => d["messageAttributes"]!.ToJsonString()), Is.All.EqualTo("{}"));
        Assert.That(documents.Select(d => (string?)d["messageGroupId"]), Is.All.Null, "a standard queue's messages have no group");
        var error = Lines("errors").Single();
        Assert.That((string)error["errorMessage"]!, Does.StartWith("QueueMessageReader.parseMessage raised").And.Contain("cannot parse message"));
        Assert.That(error["errorStartOffsetMap"]!["messageId"], Is.Not.Null, error.ToJsonString());
        Assert.That(await SqsQueues.CountAsync(_sqs, queue), Is.Zero, "every message deleted, the failed one too (its error record is written)");
    }

    private List<JsonNode> Lines(string folder) => Directory.EnumerateFiles(Path.Combine(_directory, folder), "*.jsonl")
        .SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).ToList();
}

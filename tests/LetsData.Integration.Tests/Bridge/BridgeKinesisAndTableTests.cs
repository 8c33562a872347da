using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Kinesis;
using LetsData.Integration.Tests.Support;
using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Integration.Tests.Bridge;

/// <summary>
/// A Python <c>KinesisRecordReader</c> and <c>DynamoDBTableItemReader</c> (tests/TestPlugins/Bridge/python-readers)
/// run by the published worker against kinesalite and dynalite: each record or item arrives with spec §3.2's arguments,
/// and the one the reader raises on is an error record at its sequence number or keys, naming the function.
/// </summary>
public class BridgeKinesisAndTableTests
{
    private string _directory = "";

    [OneTimeSetUp]
    public void Publish() => PublishedWorker.EnsurePublished();

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-bridge-kinesis-table-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task KinesisRecordReader_GetsLetsDatasArguments_AnExceptionIsAnErrorRecordAtItsSequenceNumber()
    {
        using var kinesis = KinesisStreams.NewClient();
        var stream = await KinesisStreams.CreateAsync(kinesis, shards: 1);
        using var batch = new KinesisPutRecordsBatch();
        foreach (var data in new[] { "r1", "raise", "r2" })
        {
            Assert.That(batch.TryAdd(Encoding.UTF8.GetBytes(data), "pk-" + data), Is.True);
        }

        Assert.That((await kinesis.PutRecordsAsync(stream, batch)).FailedRecordCount, Is.Zero);
        var before = DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds();

        var run = Run(new JsonObject
        {
            ["connectorDestination"] = "Kinesis", ["streamName"] = stream, ["readerType"] = "Kinesis Record Reader",
        });

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var documents = Lines("docs");
        Assert.That(documents.Select(d => (string)d["documentId"]!), Is.EqualTo(new[] { "r1", "r2" }), run.ToString());
        var args = documents[0]["args"]!.AsArray();
        Assert.That((string)args[0]!, Does.EndWith("/" + stream), "streamArn");
        Assert.That((string)args[1]!, Is.EqualTo("shardId-000000000000"));
        Assert.That((string)args[2]!, Is.EqualTo("pk-r1"));
        Assert.That((string)args[3]!, Is.Not.Empty, "sequenceNumber");
        Assert.That((long)args[4]!, Is.InRange(before, DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeMilliseconds()),
            "approximateArrivalTimestamp in epoch milliseconds");
        Assert.That((string)args[5]!, Is.EqualTo("r1"), "data as UTF-8 text");
        var error = Lines("errors").Single();
        Assert.That((string)error["errorMessage"]!, Does.StartWith("KinesisRecordReader.parseMessage raised").And.Contain("cannot parse record"),
            error.ToJsonString());
        Assert.That((string)error["errorStartOffsetMap"]!["sequenceNumber"]!, Is.Not.Empty);
    }

    [Test]
    public async Task DynamoDBTableItemReader_GetsLetsDatasArguments_AnExceptionIsAnErrorRecordAtItsKeys()
    {
        using var dynamo = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(dynamo, "id");
        foreach (var key in new[] { "k1", "raise", "k2" })
        {
            await dynamo.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["id"] = new() { S = key }, ["n"] = new() { N = "7" } });
        }

        var run = Run(new JsonObject
        {
            ["connectorDestination"] = "DynamoDB", ["tableName"] = table, ["totalSegments"] = 1, ["readerType"] = "DynamoDB Table Item Reader",
        });

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        var documents = Lines("docs").OrderBy(d => (string)d["documentId"]!, StringComparer.Ordinal).ToList();
        Assert.That(documents.Select(d => (string)d["documentId"]!), Is.EqualTo(new[] { "k1", "k2" }), run.ToString());
        var args = documents[0]["args"]!.AsArray();
        Assert.That((string)args[0]!, Is.EqualTo(table));
        Assert.That((int)args[1]!, Is.Zero, "segmentNumber");
        Assert.That(args[2]!.ToJsonString(), Is.EqualTo("""{"id":"k1"}"""), "keys as plain JSON");
        Assert.That(args[3]!.ToJsonString(), Is.EqualTo("""{"id":"k1","n":7}"""), "the item as plain JSON");
        var error = Lines("errors").Single();
        Assert.That((string)error["errorMessage"]!, Does.StartWith("DynamoDBTableItemReader.parseDynamoDBItem raised"), error.ToJsonString());
        Assert.That(error["errorStartOffsetMap"]!["keys"]!.ToJsonString(), Does.Contain("raise"));
    }

    private ProcessResult Run(JsonObject readConnector)
    {
        readConnector["artifactImplementationLanguage"] = "python";
        readConnector["artifactFile"] = Path.Combine(Repo.Root, "tests", "TestPlugins", "Bridge", "python-readers");
        var dataset = Path.Combine(_directory, "dataset.json");
        File.WriteAllText(dataset, new JsonObject
        {
            ["datasetName"] = "BridgedReaders",
            ["readConnector"] = readConnector,
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "docs" },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "errors" },
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 1 },
        }.ToJsonString());
        return PublishedWorker.Run(_directory, new Dictionary<string, string>(),
            "run", "--dataset", dataset, "--plugins", _directory, "--state", Path.Combine(_directory, "state"));
    }

    private List<JsonNode> Lines(string folder) => Directory.EnumerateFiles(Path.Combine(_directory, folder), "*.jsonl")
        .SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).ToList();
}

using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Faults;
using LetsData.Integration.Tests.Support;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Integration.Tests.Bridge;

/// <summary>
/// A Python <c>DynamoDBStreamsRecordReader</c> (tests/TestPlugins/Bridge/python-readers) run by the published worker
/// against dynalite's stream: each change arrives with spec §3.2's arguments (time in epoch seconds, the image the view
/// leaves out as <c>{}</c>), and the record the reader raises on is an error record at its sequence number.
/// </summary>
public class BridgeDynamoDBStreamsTests
{
    [Test]
    public async Task StreamsRecordReader_GetsLetsDatasArguments_AnExceptionIsAnErrorRecordAtItsSequenceNumber()
    {
        PublishedWorker.EnsurePublished();
        using var emulator = RestartableEmulator.DynamoDBWithStreams(shardRecords: 100);
        await emulator.StartAsync();
        using var dynamo = DynamoDBClients.Create(c => c.ServiceURL = emulator.Endpoint.ToString());
        var table = await DynamoDBTestTables.CreateAsync(dynamo, "id",
            stream: new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE });
        foreach (var key in new[] { "k1", "raise", "k2" })
        {
            await dynamo.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["id"] = new() { S = key }, ["n"] = new() { N = "7" } });
        }

        var directory = Directory.CreateTempSubdirectory("letsdata-bridge-streams-").FullName;
        try
        {
            var dataset = Path.Combine(directory, "dataset.json");
            File.WriteAllText(dataset, new JsonObject
            {
                ["datasetName"] = "BridgedStream",
                ["readConnector"] = new JsonObject
                {
                    ["connectorDestination"] = "DynamoDBStreams", ["tableName"] = table, ["readerType"] = "DynamoDB Streams Record Reader",
                    ["artifactImplementationLanguage"] = "python", ["artifactFile"] = Path.Combine(Repo.Root, "tests", "TestPlugins", "Bridge", "python-readers"),
                },
                ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(directory, "docs") },
                ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(directory, "errors") },
                ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 1 },
            }.ToJsonString());
            var environment = new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL_DYNAMODB"] = emulator.Endpoint.ToString(), ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = emulator.StreamsEndpoint.ToString(),
            };

            var run = PublishedWorker.Run(directory, environment, "run", "--dataset", dataset, "--plugins", directory, "--state", Path.Combine(directory, "state"));

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            var documents = Lines(Path.Combine(directory, "docs"));
            Assert.That(documents.Select(d => (string)d["documentId"]!), Is.EqualTo(new[] { "k1", "k2" }), run.ToString());
            var args = documents[0]["args"]!.AsArray();
            Assert.That((string)args[3]!, Is.EqualTo("INSERT"));
            Assert.That(args[4], Is.Null, "no identity for a user's write");
            Assert.That((long)args[7]!, Is.GreaterThan(0), "sizeBytes");
            Assert.That((string)args[8]!, Is.EqualTo("NEW_IMAGE"));
            Assert.That((long)args[9]!, Is.InRange(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds()),
                "approximateCreationDateTime in epoch seconds");
            Assert.That(args[10]!.ToJsonString(), Is.EqualTo("""{"id":"k1"}"""));
            Assert.That(args[11]!.ToJsonString(), Is.EqualTo("{}"), "the old image the view leaves out");
            Assert.That(args[12]!.ToJsonString(), Is.EqualTo("""{"id":"k1","n":7}"""));
            var error = Lines(Path.Combine(directory, "errors")).Single();
            Assert.That((string)error["errorMessage"]!, Does.StartWith("DynamoDBStreamsRecordReader.parseRecord raised"), error.ToJsonString());
            Assert.That((string)error["errorStartOffsetMap"]!["sequenceNumber"]!, Is.Not.Empty);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static List<JsonNode> Lines(string folder) => Directory.EnumerateFiles(folder, "*.jsonl")
        .SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).ToList();
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.DynamoDBStreams;

/// <summary>
/// The published worker reading a DynamoDB stream (the sample JsonRecordReader, LocalFiles out) is killed with SIGKILL
/// mid-task, while the table is still being written, after its task saved a checkpoint; the next run resumes after the
/// checkpoint's sequence number and the output ends with every change once, in write order.
/// </summary>
[Platform(Exclude = "Win", Reason = "SIGKILL and its exit code")]
public class DynamoDBStreamsKillResumeTests
{
    private const int Items = 300;
    private const string JsonReader = "LetsData.Plugins.Samples.Json.JsonRecordReader";

    [Test]
    public async Task KilledMidTask_ResumesFromTheCheckpoint_WithoutLossOrDuplicates()
    {
        PublishedWorker.EnsurePublished();
        using var dynamo = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(dynamo, "documentId",
            stream: new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE });
        var keys = Enumerable.Range(0, Items).Select(i => $"doc-{i:D4}").ToList();
        var directory = Directory.CreateTempSubdirectory("letsdata-streams-kill-").FullName;
        try
        {
            await WriteAsync(dynamo, table, keys[..100]);
            var state = Path.Combine(directory, "state");
            var dataset = Dataset(table, directory, "Continuous");
            var killed = false;
            var writing = Task.CompletedTask;
            var first = PublishedWorker.Run(directory, new Dictionary<string, string>(), worker =>
            {
                // The table is written on while the task reads: the kill lands mid-stream, records after the checkpoint in flight.
                writing = Task.Run(() => WriteAsync(dynamo, table, keys[100..200]));
                Assert.That(KillSwitch.WaitFor(worker, () => HasCheckpoint(state), TimeSpan.FromSeconds(60)), Is.True, "the task saved a checkpoint");
                killed = KillSwitch.Kill(worker) is not null;
            }, "run", "--dataset", dataset, "--plugins", Repo.PluginsDirectory, "--state", state, "--checkpoint-records", "10");
            Assert.That(killed, Is.True, $"the worker was killed mid-task: {first}");
            await writing;
            await WriteAsync(dynamo, table, keys[200..]);

            var second = PublishedWorker.Run(directory, new Dictionary<string, string>(),
                "run", "--dataset", Dataset(table, directory, "CaughtUp"), "--plugins", Repo.PluginsDirectory, "--state", state, "--checkpoint-records", "10");

            Assert.That(second.ExitCode, Is.Zero, second.ToString());
            Assert.That(second.Stdout + second.Stderr, Does.Not.Contain("started over from its beginning"), second.ToString());
            var output = Directory.GetFiles(Path.Combine(directory, "docs"), "*.jsonl").Single();
            var ids = File.ReadLines(output).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("documentId").GetString()).ToList();
            Assert.That(ids, Is.EqualTo(keys), "every change once, in write order");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static bool HasCheckpoint(string state)
    {
        var tasks = Path.Combine(state, "tasks");
        return Directory.Exists(tasks) && Directory.EnumerateFiles(tasks, "*.json")
            .Any(f => JsonNode.Parse(File.ReadAllText(f))?["checkpoint"] is not null);
    }

    private static string Dataset(string table, string directory, string stop)
    {
        var dataset = new JsonObject
        {
            ["datasetName"] = "StreamToFiles",
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "DynamoDBStreams", ["tableName"] = table,
                ["artifactFile"] = $"{Repo.SamplesPluginName}/{Repo.SamplesPluginName}.dll",
                ["readerType"] = "DynamoDB Streams Record Reader", ["dynamoDBStreamsRecordReaderClassName"] = JsonReader,
            },
            ["manifestFile"] = new JsonObject
            {
                ["manifestType"] = "DynamoDBStreamReaderManifest", ["dynamoDBReaderTaskStartFromCondition"] = "Earliest",
                ["dynamoDBReaderTaskStopCondition"] = stop,
            },
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(directory, "docs") },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(directory, "errors") },
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 1 },
        };
        var file = Path.Combine(directory, $"dataset-{stop}.json");
        File.WriteAllText(file, dataset.ToJsonString());
        return file;
    }

    private static async Task WriteAsync(IAmazonDynamoDB dynamo, string table, IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            await dynamo.PutItemAsync(table, new Dictionary<string, AttributeValue>
            {
                ["documentId"] = new() { S = key }, ["text"] = new() { S = $"text of {key}" },
            });
        }
    }
}

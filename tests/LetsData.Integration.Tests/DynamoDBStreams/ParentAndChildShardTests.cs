using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Faults;
using LetsData.Integration.Tests.Support;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.Json;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Aws.DynamoDBStreams;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.DynamoDBStreams;

namespace LetsData.Integration.Tests.DynamoDBStreams;

/// <summary>
/// A stream whose shards close after three records and open a child (a dynalite of this test's own,
/// EMU_DDB_STREAM_SHARD_RECORDS=3): the engine, three tasks at a time, reads a child shard only after its parent's task
/// completed, so the changes come out in the order they were written.
/// </summary>
public class ParentAndChildShardTests
{
    [Test]
    public async Task ThreeTasksAtATime_ReadEachChildShardAfterItsParent_EveryChangeOnceInWriteOrder()
    {
        using var emulator = RestartableEmulator.DynamoDBWithStreams(shardRecords: 3);
        await emulator.StartAsync();
        using var dynamo = DynamoDBClients.Create(c => c.ServiceURL = emulator.Endpoint.ToString());
        var table = await DynamoDBTestTables.CreateAsync(dynamo, "documentId",
            stream: new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE });
        var keys = Enumerable.Range(1, 10).Select(i => $"doc-{i:D2}").ToList();
        foreach (var key in keys)
        {
            await dynamo.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["documentId"] = new() { S = key }, ["n"] = new() { N = "1" } });
        }

        var arn = (await dynamo.DescribeTableAsync(table)).Table.LatestStreamArn;
        using var client = DynamoDBStreamsClient.Create(new AwsJsonClientOptions { Endpoint = emulator.StreamsEndpoint });
        var source = new DynamoDBStreamSource(client, arn, DynamoDBStreamStartFrom.Earliest, continuous: false, recordsPerRead: 2);
        var tasks = await PartitionTasks.ForDynamoDBStreamAsync(source, CancellationToken.None);
        Assert.That(tasks, Has.Count.EqualTo(4), "ten records, three per shard");
        Assert.That(tasks.Skip(1).Select(t => t.After.Single()), Is.EqualTo(tasks.SkipLast(1).Select(t => t.TaskId)), "each shard the child of the one before");

        var calls = new ConcurrentQueue<(string Shard, string Key)>();
        var sinks = new CapturingSinks();
        var engine = new DataTaskEngine("Streams", new DynamoDBStreamsRecordReaderBinding("test", () => new Recording(calls)),
            new RecordSources(DynamoDBStream: source), sinks, sinks, new EngineOptions { Concurrency = 3 });
        var summary = await Task.Run(() => engine.RunAsync(tasks)).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.That(summary.Tasks.Select(t => t.Status).ToList(), Has.Count.EqualTo(4).And.All.EqualTo(DataTaskStatus.Completed));
        Assert.That(calls.Select(c => c.Key), Is.EqualTo(keys), "parents before children: the order of the writes");
        Assert.That(calls.Select(c => c.Shard).Distinct(), Is.EqualTo(tasks.Select(t => t.TaskId)));
        Assert.That(sinks.Serialized, Has.Count.EqualTo(10));
    }

    [Test]
    public async Task ThePublishedWorker_ThreeTasksAtATime_StartsEachChildShardsTaskAfterItsParentsEnded()
    {
        PublishedWorker.EnsurePublished();
        using var emulator = RestartableEmulator.DynamoDBWithStreams(shardRecords: 3);
        await emulator.StartAsync();
        using var dynamo = DynamoDBClients.Create(c => c.ServiceURL = emulator.Endpoint.ToString());
        var table = await DynamoDBTestTables.CreateAsync(dynamo, "documentId",
            stream: new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE });
        var keys = Enumerable.Range(1, 10).Select(i => $"doc-{i:D2}").ToList();
        foreach (var key in keys)
        {
            await dynamo.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["documentId"] = new() { S = key } });
        }

        var directory = Directory.CreateTempSubdirectory("letsdata-streams-shards-").FullName;
        try
        {
            var dataset = Path.Combine(directory, "dataset.json");
            File.WriteAllText(dataset, new JsonObject
            {
                ["datasetName"] = "ShardsToFiles",
                ["readConnector"] = new JsonObject
                {
                    ["connectorDestination"] = "DynamoDBStreams", ["tableName"] = table,
                    ["artifactFile"] = $"{Repo.SamplesPluginName}/{Repo.SamplesPluginName}.dll", ["readerType"] = "DynamoDB Streams Record Reader",
                },
                ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(directory, "docs") },
                ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = Path.Combine(directory, "errors") },
                ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 3 },
            }.ToJsonString());
            var environment = new Dictionary<string, string>
            {
                ["AWS_ENDPOINT_URL_DYNAMODB"] = emulator.Endpoint.ToString(), ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = emulator.StreamsEndpoint.ToString(),
            };
            var state = Path.Combine(directory, "state");

            var run = PublishedWorker.Run(directory, environment, "run", "--dataset", dataset, "--plugins", Repo.PluginsDirectory, "--state", state);

            Assert.That(run.ExitCode, Is.Zero, run.ToString());
            Assert.That(run.Stdout, Does.Contain("4 task(s) completed, 0 errored"), run.ToString());
            var arn = (await dynamo.DescribeTableAsync(table)).Table.LatestStreamArn;
            using var streams = new AwsEmulators.DynamoDBStreamsApi(emulator.StreamsEndpoint);
            var shards = (await streams.DescribeStreamAsync(arn))["Shards"]!.AsArray().Select(s => (Id: (string)s!["ShardId"]!, Parent: (string?)s["ParentShardId"])).ToList();
            var records = shards.ToDictionary(s => s.Id, s => JsonNode.Parse(File.ReadAllText(Path.Combine(state, "tasks", s.Id + ".json")))!);
            foreach (var (id, parent) in shards.Where(s => s.Parent is not null))
            {
                Assert.That(DateTimeOffset.Parse((string)records[id]["startedAt"]!, System.Globalization.CultureInfo.InvariantCulture),
                    Is.GreaterThanOrEqualTo(DateTimeOffset.Parse((string)records[parent!]["endedAt"]!, System.Globalization.CultureInfo.InvariantCulture)),
                    $"shard {id} started after its parent {parent} ended");
            }

            var ids = shards.SelectMany(s => File.ReadLines(Path.Combine(directory, "docs", s.Id + ".jsonl")))
                .Select(l => (string?)JsonNode.Parse(l)!["documentId"]).ToList();
            Assert.That(ids, Is.EqualTo(keys), "shard by shard, parents first: the writes' order");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private sealed class Recording(ConcurrentQueue<(string, string)> calls) : IDynamoDBStreamsRecordReader
    {
        private readonly JsonRecordReader _reader = new();

        public ParseDocumentResult ParseRecord(string streamArn, string shardId, string eventId, string eventName, string? identityPrincipalId,
            string? identityType, string sequenceNumber, long? sizeBytes, string streamViewType, DateTimeOffset approximateCreationDateTime,
            IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?>? oldImage, IReadOnlyDictionary<string, object?>? newImage)
        {
            calls.Enqueue((shardId, (string)keys["documentId"]!));
            return _reader.ParseRecord(streamArn, shardId, eventId, eventName, identityPrincipalId, identityType, sequenceNumber, sizeBytes,
                streamViewType, approximateCreationDateTime, keys, oldImage, newImage);
        }
    }
}

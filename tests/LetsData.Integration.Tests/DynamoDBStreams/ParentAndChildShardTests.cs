using System.Collections.Concurrent;
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

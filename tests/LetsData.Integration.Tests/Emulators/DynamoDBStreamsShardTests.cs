using System.Numerics;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Faults;
using LetsData.Runtime.Aws.DynamoDB;

// Not ".Emulators": that name is the one-time setup class (Support/Emulators.cs).
namespace LetsData.Integration.Tests.AwsEmulators;

/// <summary>
/// Parent and child shards: a dynalite of this test's own with EMU_DDB_STREAM_SHARD_RECORDS=3, so a stream's shard is
/// closed after three records and a child opened, and a reader can be held to reading parents before children.
/// </summary>
public class DynamoDBStreamsShardTests
{
    [Test]
    public async Task FullShards_CloseAndHaveAChild_ReadParentFirstTheyGiveEveryRecordInOrder()
    {
        using var emulator = RestartableEmulator.DynamoDBWithStreams(shardRecords: 3);
        await emulator.StartAsync();
        using var dynamo = DynamoDBClients.Create(c => c.ServiceURL = emulator.Endpoint.ToString());
        using var streams = new DynamoDBStreamsApi(emulator.StreamsEndpoint);
        var table = await DynamoDBTestTables.CreateAsync(dynamo, "pk",
            stream: new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY });
        var arn = (await dynamo.DescribeTableAsync(table)).Table.LatestStreamArn;
        var keys = Enumerable.Range(1, 7).Select(i => $"k{i}").ToList();
        foreach (var key in keys)
        {
            await dynamo.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key } });
        }

        var shards = (await streams.DescribeStreamAsync(arn))["Shards"]!.AsArray().Select(s => s!).ToList();

        Assert.That(shards, Has.Count.EqualTo(3));
        Assert.That(shards[0]["ParentShardId"], Is.Null);
        Assert.That((string?)shards[1]["ParentShardId"], Is.EqualTo((string?)shards[0]["ShardId"]));
        Assert.That((string?)shards[2]["ParentShardId"], Is.EqualTo((string?)shards[1]["ShardId"]));
        Assert.That(shards.Select(s => s["SequenceNumberRange"]!["EndingSequenceNumber"] is not null), Is.EqualTo(new[] { true, true, false }));

        var read = new List<JsonNode>();
        var ended = new List<bool>();
        foreach (var shard in shards)
        {
            var (records, reachedEnd) = await streams.ReadShardAsync(arn, (string)shard["ShardId"]!);
            read.AddRange(records);
            ended.Add(reachedEnd);
            var range = shard["SequenceNumberRange"]!;
            var numbers = records.Select(r => Number(r["dynamodb"]!["SequenceNumber"])).ToList();
            Assert.That(numbers, Has.All.GreaterThanOrEqualTo(Number(range["StartingSequenceNumber"])));
            if (range["EndingSequenceNumber"] is { } end)
            {
                Assert.That(numbers[^1], Is.EqualTo(Number(end)), "a closed shard ends at its last record");
            }
        }

        Assert.That(read.Select(r => (string?)r["dynamodb"]!["Keys"]!["pk"]!["S"]), Is.EqualTo(keys), "parents first: the writes' order");
        Assert.That(ended, Is.EqualTo(new[] { true, true, false }), "only the closed shards end; the open one keeps a next iterator");
        Assert.That(Number(shards[1]["SequenceNumberRange"]!["StartingSequenceNumber"]),
            Is.GreaterThan(Number(shards[0]["SequenceNumberRange"]!["EndingSequenceNumber"])), "a child starts after its parent");

        var firstPage = (await streams.CallAsync("DescribeStream", new { StreamArn = arn, Limit = 2 }))["StreamDescription"]!;
        Assert.That((string?)firstPage["LastEvaluatedShardId"], Is.EqualTo((string?)shards[1]["ShardId"]));
        var rest = (await streams.CallAsync("DescribeStream", new { StreamArn = arn, ExclusiveStartShardId = (string)firstPage["LastEvaluatedShardId"]! }))["StreamDescription"]!;
        Assert.That(rest["Shards"]!.AsArray().Select(s => (string?)s!["ShardId"]), Is.EqualTo(new[] { (string?)shards[2]["ShardId"] }));
        Assert.That(rest["LastEvaluatedShardId"], Is.Null);
    }

    private static BigInteger Number(JsonNode? text) => BigInteger.Parse((string)text!, System.Globalization.CultureInfo.InvariantCulture);
}

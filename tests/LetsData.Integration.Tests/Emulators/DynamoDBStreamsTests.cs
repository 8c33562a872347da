using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.Integration.Tests.DynamoDB;

// Not ".Emulators": that name is the one-time setup class (Support/Emulators.cs).
namespace LetsData.Integration.Tests.AwsEmulators;

/// <summary>
/// DynamoDB Streams of scripts/emulators/dynalite-streams.js: tables made and changed with the real AmazonDynamoDBClient,
/// their streams read over the Streams API (signed JSON 1.0; AWSSDK.DynamoDBv2 4.x has no Streams client).
/// </summary>
public class DynamoDBStreamsTests
{
    private AmazonDynamoDBClient _dynamo = null!;
    private DynamoDBStreamsApi _streams = null!;

    [OneTimeSetUp]
    public void CreateTheClients()
    {
        _dynamo = DynamoDBTestTables.NewClient();
        _streams = DynamoDBStreamsApi.FromEnvironment();
    }

    [OneTimeTearDown]
    public void DisposeTheClients()
    {
        _dynamo.Dispose();
        _streams.Dispose();
    }

    [TestCase("KEYS_ONLY")]
    [TestCase("NEW_IMAGE")]
    [TestCase("OLD_IMAGE")]
    [TestCase("NEW_AND_OLD_IMAGES")]
    public async Task Writes_BecomeRecordsWithTheViewTypesImages_AndWritesThatChangeNothing_BecomeNone(string viewType)
    {
        var table = await DynamoDBTestTables.CreateAsync(_dynamo, "pk", "sk", ScalarAttributeType.N);
        var updated = await _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table, StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.FindValue(viewType) },
        });
        var arn = updated.TableDescription.LatestStreamArn;
        Assert.That(updated.TableDescription.StreamSpecification.StreamViewType.Value, Is.EqualTo(viewType));

        await Put(table, "a", 1, "1");
        await Put(table, "a", 1, "1");                                // the same item again: nothing
        await Put(table, "a", 1, "1.0");                              // the same number, written otherwise: nothing
        await SetV(table, "a", 1, "2");
        await SetV(table, "a", 1, "2");                               // no change: nothing
        Assert.ThrowsAsync<ConditionalCheckFailedException>(() => _dynamo.PutItemAsync(new PutItemRequest
        {
            TableName = table, Item = Item("a", 1, "9"), ConditionExpression = "attribute_not_exists(pk)",
        }));
        await _dynamo.DeleteItemAsync(table, Key("missing", 1));     // nothing to delete: nothing
        await _dynamo.BatchWriteItemAsync(new Dictionary<string, List<WriteRequest>>
        {
            [table] =
            [
                new() { PutRequest = new PutRequest { Item = Item("b", 2, "5") } },
                new() { PutRequest = new PutRequest { Item = Item("c", 3, "6") } },
                new() { DeleteRequest = new DeleteRequest { Key = Key("a", 1) } },
            ],
        });
        await _dynamo.DeleteItemAsync(table, Key("b", 2));

        var records = await _streams.ReadStreamAsync(arn);

        Assert.That(records.Select(r => ((string?)r["eventName"], (string?)r["dynamodb"]!["Keys"]!["pk"]!["S"])), Is.EqualTo(new[]
        {
            ("INSERT", "a"), ("MODIFY", "a"), ("INSERT", "b"), ("INSERT", "c"), ("REMOVE", "a"), ("REMOVE", "b"),
        }));
        var hasNew = viewType is "NEW_IMAGE" or "NEW_AND_OLD_IMAGES";
        var hasOld = viewType is "OLD_IMAGE" or "NEW_AND_OLD_IMAGES";
        foreach (var record in records)
        {
            var data = record["dynamodb"]!;
            var name = (string)record["eventName"]!;
            Assert.That(((string?)record["eventVersion"], (string?)record["eventSource"], (string?)record["awsRegion"]), Is.EqualTo(("1.1", "aws:dynamodb", "us-east-1")));
            Assert.That((string?)data["StreamViewType"], Is.EqualTo(viewType));
            Assert.That(data["Keys"]!.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "pk", "sk" }), "keys in every view type");
            Assert.That(data["NewImage"] is not null, Is.EqualTo(hasNew && name != "REMOVE"), $"NewImage of {name}");
            Assert.That(data["OldImage"] is not null, Is.EqualTo(hasOld && name != "INSERT"), $"OldImage of {name}");
            Assert.That((int)data["SizeBytes"]!, Is.GreaterThan(0));
            Assert.That((double)data["ApproximateCreationDateTime"]!, Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds()).Within(120));
        }

        var modify = records[1]["dynamodb"]!;
        if (hasNew)
        {
            Assert.That((string?)modify["NewImage"]!["v"]!["N"], Is.EqualTo("2"));
        }

        if (hasOld)
        {
            Assert.That((string?)modify["OldImage"]!["v"]!["N"], Is.EqualTo("1"));
            Assert.That((string?)records[4]["dynamodb"]!["OldImage"]!["v"]!["N"], Is.EqualTo("2"), "the removed item as it was");
        }

        var sequence = records.Select(r => (string)r["dynamodb"]!["SequenceNumber"]!).ToList();
        Assert.That(sequence, Has.All.Match("^[0-9]{21,}$"));
        Assert.That(sequence.Select(s => BigInteger.Parse(s, CultureInfo.InvariantCulture)), Is.Ordered.Ascending.And.Unique);
        Assert.That(records.Select(r => (string?)r["eventID"]), Is.Unique);
    }

    [Test]
    public async Task SizeBytes_OfAKeysOnlyRecord_IsTheKeysSize_AsInAwssExample()
    {
        // The DynamoDB Streams GetRecords example: keys ForumName "DynamoDB" and Subject "DynamoDB Thread 3" are 41 bytes.
        var table = await CreateTableWithStream("KEYS_ONLY", "ForumName", "Subject");
        await _dynamo.PutItemAsync(table.Name, new Dictionary<string, AttributeValue>
        {
            ["ForumName"] = new() { S = "DynamoDB" }, ["Subject"] = new() { S = "DynamoDB Thread 3" }, ["Body"] = new() { S = "not in a KEYS_ONLY record" },
        });
        var record = (await _streams.ReadStreamAsync(table.StreamArn)).Single();
        Assert.That((int)record["dynamodb"]!["SizeBytes"]!, Is.EqualTo(41));
    }

    [Test]
    public async Task TheStream_IsDescribed_Listed_Disabled_AndEnabledAnew()
    {
        var table = await CreateTableWithStream("NEW_AND_OLD_IMAGES", "pk");
        var described = (await _dynamo.DescribeTableAsync(table.Name)).Table;
        Assert.That((described.LatestStreamArn, described.StreamSpecification?.StreamEnabled, described.StreamSpecification?.StreamViewType?.Value),
            Is.EqualTo((table.StreamArn, (bool?)true, "NEW_AND_OLD_IMAGES")));
        Assert.That(table.StreamArn, Is.EqualTo($"{described.TableArn}/stream/{described.LatestStreamLabel}"));

        var listed = (await _streams.CallAsync("ListStreams", new { TableName = table.Name }))["Streams"]!.AsArray();
        Assert.That(listed.Select(s => ((string?)s!["StreamArn"], (string?)s["TableName"], (string?)s["StreamLabel"])),
            Is.EqualTo(new[] { (table.StreamArn, table.Name, described.LatestStreamLabel) }));
        var stream = await _streams.DescribeStreamAsync(table.StreamArn);
        Assert.That(((string?)stream["StreamStatus"], (string?)stream["TableName"], (string?)stream["StreamViewType"]), Is.EqualTo(("ENABLED", table.Name, "NEW_AND_OLD_IMAGES")));
        Assert.That((string?)stream["KeySchema"]![0]!["AttributeName"], Is.EqualTo("pk"));
        var shard = stream["Shards"]!.AsArray().Single()!;
        Assert.That((shard["ParentShardId"], shard["SequenceNumberRange"]!["EndingSequenceNumber"]), Is.EqualTo(((JsonNode?)null, (JsonNode?)null)), "one open shard");

        var again = Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table.Name, StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY },
        }))!;
        Assert.That(again.ErrorCode, Is.EqualTo("ValidationException"));

        await _dynamo.PutItemAsync(table.Name, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "before" } });
        await _dynamo.UpdateTableAsync(new UpdateTableRequest { TableName = table.Name, StreamSpecification = new StreamSpecification { StreamEnabled = false } });
        await _dynamo.PutItemAsync(table.Name, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "after" } });

        var disabled = (await _dynamo.DescribeTableAsync(table.Name)).Table;
        Assert.That((disabled.LatestStreamArn, disabled.StreamSpecification), Is.EqualTo((table.StreamArn, (StreamSpecification?)null)));
        stream = await _streams.DescribeStreamAsync(table.StreamArn);
        Assert.That((string?)stream["StreamStatus"], Is.EqualTo("DISABLED"));
        var closed = stream["Shards"]!.AsArray().Single()!;
        var (records, reachedEnd) = await _streams.ReadShardAsync(table.StreamArn, (string)closed["ShardId"]!);
        Assert.That(records.Select(r => (string?)r["dynamodb"]!["Keys"]!["pk"]!["S"]), Is.EqualTo(new[] { "before" }), "no record once disabled");
        Assert.That(reachedEnd, Is.True, "a closed shard read to its end has no NextShardIterator");
        Assert.That((string?)closed["SequenceNumberRange"]!["EndingSequenceNumber"], Is.EqualTo((string?)records[0]["dynamodb"]!["SequenceNumber"]));

        var enabledAnew = await _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = table.Name, StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY },
        });
        Assert.That(enabledAnew.TableDescription.LatestStreamArn, Is.Not.EqualTo(table.StreamArn), "a new stream, with a label of its own");
        Assert.That((await _streams.CallAsync("ListStreams", new { TableName = table.Name }))["Streams"]!.AsArray(), Has.Count.EqualTo(2));
    }

    [Test]
    public async Task DeletingTheTable_DisablesItsStream_WhichStaysReadable()
    {
        var table = await CreateTableWithStream("NEW_IMAGE", "pk");
        await _dynamo.PutItemAsync(table.Name, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "x" } });
        var deleted = await _dynamo.DeleteTableAsync(table.Name);
        Assert.That(deleted.TableDescription.LatestStreamArn, Is.EqualTo(table.StreamArn));
        Assert.That((string?)(await _streams.DescribeStreamAsync(table.StreamArn))["StreamStatus"], Is.EqualTo("DISABLED"));
        Assert.That(await _streams.ReadStreamAsync(table.StreamArn), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task ShardIterators_StartWhereTheirTypeSays()
    {
        var table = await CreateTableWithStream("KEYS_ONLY", "pk");
        foreach (var key in new[] { "r1", "r2", "r3" })
        {
            await _dynamo.PutItemAsync(table.Name, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = key } });
        }

        var shardId = (string)(await _streams.DescribeStreamAsync(table.StreamArn))["Shards"]![0]!["ShardId"]!;
        var all = (await _streams.ReadShardAsync(table.StreamArn, shardId, limit: 1)).Records;
        Assert.That(Keys(all), Is.EqualTo(new[] { "r1", "r2", "r3" }), "TRIM_HORIZON, one record a page");
        var second = (string)all[1]["dynamodb"]!["SequenceNumber"]!;

        var at = await _streams.IteratorAsync(table.StreamArn, shardId, "AT_SEQUENCE_NUMBER", second);
        Assert.That(Keys((await _streams.GetRecordsAsync(at)).Records), Is.EqualTo(new[] { "r2", "r3" }));
        var after = await _streams.IteratorAsync(table.StreamArn, shardId, "AFTER_SEQUENCE_NUMBER", second);
        Assert.That(Keys((await _streams.GetRecordsAsync(after)).Records), Is.EqualTo(new[] { "r3" }));

        var latest = await _streams.IteratorAsync(table.StreamArn, shardId, "LATEST");
        var (none, next) = await _streams.GetRecordsAsync(latest);
        Assert.That(none, Is.Empty);
        Assert.That(next, Is.Not.Null, "an open shard always has a next iterator");
        await _dynamo.PutItemAsync(table.Name, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "r4" } });
        Assert.That(Keys((await _streams.GetRecordsAsync(next!)).Records), Is.EqualTo(new[] { "r4" }));
    }

    [Test]
    public async Task StreamsErrors_AreAwss()
    {
        var table = await CreateTableWithStream("KEYS_ONLY", "pk");
        var noStream = Assert.ThrowsAsync<AwsJsonException>(() => _streams.DescribeStreamAsync(table.StreamArn + "0"))!;
        Assert.That(noStream.ErrorType, Is.EqualTo("ResourceNotFoundException"));
        var noShard = Assert.ThrowsAsync<AwsJsonException>(() => _streams.IteratorAsync(table.StreamArn, "shardId-00000000000000000000-00000000", "TRIM_HORIZON"))!;
        Assert.That(noShard.ErrorType, Is.EqualTo("ResourceNotFoundException"));
        var badIterator = Assert.ThrowsAsync<AwsJsonException>(() => _streams.GetRecordsAsync("not an iterator"))!;
        Assert.That(badIterator.ErrorType, Is.EqualTo("ValidationException"));
        var plain = await DynamoDBTestTables.CreateAsync(_dynamo, "pk");
        var badViewType = Assert.ThrowsAsync<AmazonDynamoDBException>(() => _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = plain, StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = new StreamViewType("ALL") },
        }))!;
        Assert.That(badViewType.ErrorCode, Is.EqualTo("ValidationException"));
    }

    [Test]
    public async Task ATableWithoutAStream_HasNoStreamInfo_AndNoStream()
    {
        var table = await DynamoDBTestTables.CreateAsync(_dynamo, "pk");
        await _dynamo.PutItemAsync(table, new Dictionary<string, AttributeValue> { ["pk"] = new() { S = "x" }, ["v"] = new() { N = "1" } });
        var item = (await _dynamo.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["pk"] = new() { S = "x" } }, ConsistentRead = true })).Item;
        Assert.That(item["v"].N, Is.EqualTo("1"));
        var described = (await _dynamo.DescribeTableAsync(table)).Table;
        Assert.That((described.LatestStreamArn, described.StreamSpecification), Is.EqualTo(((string?)null, (StreamSpecification?)null)));
        Assert.That((await _streams.CallAsync("ListStreams", new { TableName = table }))["Streams"]!.AsArray(), Is.Empty);
    }

    private static List<string?> Keys(IEnumerable<JsonNode> records) => records.Select(r => (string?)r["dynamodb"]!["Keys"]!["pk"]!["S"]).ToList();

    private async Task<(string Name, string StreamArn)> CreateTableWithStream(string viewType, string partitionKey, string? sortKey = null)
    {
        var name = await DynamoDBTestTables.CreateAsync(_dynamo, partitionKey, sortKey,
            stream: new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.FindValue(viewType) });
        return (name, (await _dynamo.DescribeTableAsync(name)).Table.LatestStreamArn);
    }

    private static Dictionary<string, AttributeValue> Key(string pk, int sk) =>
        new() { ["pk"] = new() { S = pk }, ["sk"] = new() { N = sk.ToString(CultureInfo.InvariantCulture) } };

    private static Dictionary<string, AttributeValue> Item(string pk, int sk, string v) => new(Key(pk, sk)) { ["v"] = new() { N = v } };

    private Task Put(string table, string pk, int sk, string v) => _dynamo.PutItemAsync(table, Item(pk, sk, v));

    private Task SetV(string table, string pk, int sk, string v) => _dynamo.UpdateItemAsync(new UpdateItemRequest
    {
        TableName = table, Key = Key(pk, sk), UpdateExpression = "SET v = :v", ExpressionAttributeValues = new() { [":v"] = new() { N = v } },
    });
}

using System.Globalization;
using System.IO.Hashing;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.Integration.Tests.DynamoDB;

// Not ".Emulators": that name is the one-time setup class (Support/Emulators.cs).
namespace LetsData.Integration.Tests.AwsEmulators;

/// <summary>
/// The examples of the Amazon DynamoDB Streams API Reference (DescribeStream, GetShardIterator, GetRecords), sent bare
/// as written there with only the stream ARN, shard id and iterator replaced by the emulator's (the iterator cannot be
/// AWS's); the shard id keeps the example's form without "shardId-". The table is the example's Forum and its writes
/// make the example's three KEYS_ONLY records (INSERT Thread 3, MODIFY Thread 1, REMOVE Thread 2), so the answers are
/// held to the published sample responses, SizeBytes 41 included.
/// </summary>
public class DynamoDBStreamsApiReferenceExampleTests
{
    private const string DescribeStreamExample = """
        {
            "StreamArn": "arn:aws:dynamodb:us-west-2:111122223333:table/Forum/stream/2015-05-20T20:51:10.252"
        }
        """;

    private const string GetShardIteratorExample = """
        {
            "StreamArn": "arn:aws:dynamodb:us-west-2:111122223333:table/Forum/stream/2015-05-20T20:51:10.252",
            "ShardId": "00000001414576573621-f55eea83",
            "ShardIteratorType": "TRIM_HORIZON"
        }
        """;

    private const string GetRecordsExample = """
        {
            "ShardIterator": "arn:aws:dynamodb:us-west-2:111122223333:table/Forum/stream/2015-05-20T20:51:10.252|1|AAAAAAAAAAEvJp6D+zaQ...  <remaining characters omitted> ..."
        }
        """;

    private const string ExampleStreamArn = "arn:aws:dynamodb:us-west-2:111122223333:table/Forum/stream/2015-05-20T20:51:10.252";

    private AwsJsonClient _bare = null!;
    private AmazonDynamoDBClient _dynamo = null!;
    private string _table = "";
    private string _streamArn = "";

    [OneTimeSetUp]
    public async Task MakeTheForumTablesRecords()
    {
        _bare = new AwsJsonClient(AwsJsonClient.EndpointFromEnvironment("AWS_ENDPOINT_URL_DYNAMODB_STREAMS"));
        _dynamo = DynamoDBTestTables.NewClient();
        _table = await DynamoDBTestTables.CreateAsync(_dynamo, "ForumName", "Subject");
        await Put("DynamoDB Thread 1", "first");
        await Put("DynamoDB Thread 2", "second");
        _streamArn = (await _dynamo.UpdateTableAsync(new UpdateTableRequest
        {
            TableName = _table, StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.KEYS_ONLY },
        })).TableDescription.LatestStreamArn;
        await Put("DynamoDB Thread 3", "third");
        await Put("DynamoDB Thread 1", "first, edited");
        await _dynamo.DeleteItemAsync(_table, Key("DynamoDB Thread 2"));
    }

    [OneTimeTearDown]
    public void DisposeTheClients()
    {
        _bare.Dispose();
        _dynamo.Dispose();
    }

    [Test]
    public async Task DescribeStream_AnswersInTheSampleResponsesShape()
    {
        var answer = await Send("DescribeStream", DescribeStreamExample);

        var description = answer.Json["StreamDescription"]!.AsObject();
        Assert.That(description.Select(p => p.Key), Is.EquivalentTo(new[]
        {
            "StreamArn", "StreamLabel", "StreamStatus", "StreamViewType", "CreationRequestDateTime", "TableName", "KeySchema", "Shards",
        }));
        Assert.That((string?)description["StreamArn"], Is.EqualTo(_streamArn));
        Assert.That((string?)description["StreamLabel"], Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$"), "like 2015-05-20T20:51:10.252");
        Assert.That(_streamArn, Does.EndWith("/stream/" + (string?)description["StreamLabel"]));
        Assert.That(((string?)description["StreamStatus"], (string?)description["StreamViewType"], (string?)description["TableName"]), Is.EqualTo(("ENABLED", "KEYS_ONLY", _table)));
        Assert.That(description["CreationRequestDateTime"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Number), "a timestamp, epoch seconds");
        Assert.That(description["KeySchema"]!.ToJsonString(), Is.EqualTo("""[{"AttributeName":"ForumName","KeyType":"HASH"},{"AttributeName":"Subject","KeyType":"RANGE"}]"""));
        var shard = description["Shards"]!.AsArray().Single()!.AsObject();
        Assert.That(shard.Select(p => p.Key), Is.EquivalentTo(new[] { "SequenceNumberRange", "ShardId" }), "the open shard: no parent");
        Assert.That((string?)shard["ShardId"], Does.Match("^shardId-[0-9]{20}-[0-9a-f]{8}$"), "like shardId-00000001414576573621-f55eea83");
        Assert.That(shard["SequenceNumberRange"]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "StartingSequenceNumber" }));
    }

    [Test]
    public async Task GetShardIterator_ThenGetRecords_AnswerAsTheSampleResponses()
    {
        var shardId = (string)(await Send("DescribeStream", DescribeStreamExample)).Json["StreamDescription"]!["Shards"]![0]!["ShardId"]!;
        var iteratorAnswer = await Send("GetShardIterator", GetShardIteratorExample.Replace("00000001414576573621-f55eea83", shardId["shardId-".Length..], StringComparison.Ordinal));
        var iterator = (string)iteratorAnswer.Json["ShardIterator"]!;
        Assert.That(iteratorAnswer.Json.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "ShardIterator" }));
        Assert.That(iterator, Does.StartWith(_streamArn + "|1|"), "the sample iterator's form: stream ARN|1|...");

        var answer = await _bare.PostAsync("DynamoDBStreams_20120810.GetRecords", GetRecordsExample.Replace(
            "arn:aws:dynamodb:us-west-2:111122223333:table/Forum/stream/2015-05-20T20:51:10.252|1|AAAAAAAAAAEvJp6D+zaQ...  <remaining characters omitted> ...", iterator, StringComparison.Ordinal));
        AssertAnswered(answer);

        Assert.That(answer.Json.AsObject().Select(p => p.Key), Is.EquivalentTo(new[] { "NextShardIterator", "Records" }));
        Assert.That((string?)answer.Json["NextShardIterator"], Does.StartWith(_streamArn + "|1|"));
        var records = answer.Json["Records"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.That(records.Select(r => ((string?)r["eventName"], (string?)r["dynamodb"]!["Keys"]!["Subject"]!["S"])), Is.EqualTo(new[]
        {
            ("INSERT", "DynamoDB Thread 3"), ("MODIFY", "DynamoDB Thread 1"), ("REMOVE", "DynamoDB Thread 2"),
        }));
        foreach (var record in records)
        {
            Assert.That(record.Select(p => p.Key), Is.EquivalentTo(new[] { "awsRegion", "dynamodb", "eventID", "eventName", "eventSource", "eventVersion" }));
            Assert.That((string?)record["eventID"], Does.Match("^[0-9a-f]{32}$"), "like e2fd9c34eff2d779b297b26f5fef4206");
            Assert.That((string?)record["eventSource"], Is.EqualTo("aws:dynamodb"));
            var data = record["dynamodb"]!.AsObject();
            Assert.That(data.Select(p => p.Key), Is.EquivalentTo(new[] { "ApproximateCreationDateTime", "Keys", "SequenceNumber", "SizeBytes", "StreamViewType" }), "KEYS_ONLY: no images");
            Assert.That(data["ApproximateCreationDateTime"]!.GetValueKind(), Is.EqualTo(JsonValueKind.Number));
            Assert.That((string?)data["SequenceNumber"], Does.Match("^[0-9]{21,}$"), "like 300000000000000499659");
            Assert.That((int)data["SizeBytes"]!, Is.EqualTo(41), "the sample's SizeBytes for these keys");
            Assert.That((string?)data["StreamViewType"], Is.EqualTo("KEYS_ONLY"));
            Assert.That((string?)data["Keys"]!["ForumName"]!["S"], Is.EqualTo("DynamoDB"));
        }
    }

    [Test]
    public async Task TheExampleRequestsAsWritten_NameAStreamThatIsNotHere()
    {
        var answer = await _bare.PostAsync("DynamoDBStreams_20120810.DescribeStream", DescribeStreamExample);
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(answer.ErrorType, Is.EqualTo("ResourceNotFoundException"));
        Assert.That(answer.Json["message"], Is.Not.Null);
        var iterator = await _bare.PostAsync("DynamoDBStreams_20120810.GetRecords", GetRecordsExample);
        Assert.That(iterator.Status, Is.EqualTo(HttpStatusCode.BadRequest), "AWS's iterator is nothing the emulator issued");
    }

    /// <summary>Sends an example with its stream ARN replaced by this test's; checks what every answer carries.</summary>
    private async Task<AwsJsonAnswer> Send(string operation, string example)
    {
        var answer = await _bare.PostAsync($"DynamoDBStreams_20120810.{operation}", example.Replace(ExampleStreamArn, _streamArn, StringComparison.Ordinal));
        AssertAnswered(answer);
        return answer;
    }

    /// <summary>200, JSON 1.0, a request id, and the x-amz-crc32 of the body that the sample responses show.</summary>
    private static void AssertAnswered(AwsJsonAnswer answer)
    {
        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body);
        Assert.That(answer.Headers["content-type"], Is.EqualTo("application/x-amz-json-1.0"));
        Assert.That(answer.Headers, Does.ContainKey("x-amzn-requestid"));
        Assert.That(answer.Headers["x-amz-crc32"], Is.EqualTo(Crc32.HashToUInt32(Encoding.UTF8.GetBytes(answer.Body)).ToString(CultureInfo.InvariantCulture)));
    }

    private static Dictionary<string, AttributeValue> Key(string subject) =>
        new() { ["ForumName"] = new() { S = "DynamoDB" }, ["Subject"] = new() { S = subject } };

    private Task Put(string subject, string message) => _dynamo.PutItemAsync(_table, new(Key(subject)) { ["Message"] = new() { S = message } });
}

using System.Net;
using Amazon;
using Amazon.Runtime;
using LetsData.Runtime.Aws.DynamoDBStreams;
using LetsData.Runtime.Reading.DynamoDBStreams;
using LetsData.Runtime.Tests.Kinesis;

namespace LetsData.Runtime.Tests.DynamoDBStreams;

/// <summary>
/// Our DynamoDB Streams client on the wire (a scripted endpoint): JSON 1.0 targets, SigV4 for the service
/// <c>dynamodb</c>, DescribeStream's pages, retries of 5xx, and records parsed into plain values.
/// </summary>
[NonParallelizable]
public class DynamoDBStreamsClientTests
{
    private const string Arn = "arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/2026";

    private static DynamoDBStreamsClient NewClient(FakeKinesis endpoint) =>
        new(endpoint, new BasicAWSCredentials(FakeKinesis.AccessKey, FakeKinesis.SecretKey), RegionEndpoint.EUWest1,
            new Uri("https://streams.dynamodb.eu-west-1.amazonaws.com/"), FakeKinesis.FastRetries());

    [Test]
    public async Task DescribeStream_FollowsItsPages_SignedForDynamoDB_AsJson10()
    {
        var endpoint = new FakeKinesis
        {
            Respond = (request, index) => index switch
            {
                0 => FakeKinesis.Error(HttpStatusCode.InternalServerError, "InternalServerError"),
                1 => FakeKinesis.Json(HttpStatusCode.OK, $$$"""{"StreamDescription":{"StreamArn":"{{{Arn}}}","StreamStatus":"ENABLED","StreamViewType":"NEW_IMAGE","Shards":[{"ShardId":"a","SequenceNumberRange":{"StartingSequenceNumber":"1","EndingSequenceNumber":"9"}}],"LastEvaluatedShardId":"a"}}"""),
                _ => FakeKinesis.Json(HttpStatusCode.OK, $$$"""{"StreamDescription":{"StreamArn":"{{{Arn}}}","StreamStatus":"ENABLED","Shards":[{"ShardId":"b","ParentShardId":"a","SequenceNumberRange":{"StartingSequenceNumber":"10"}}]}}"""),
            },
        };
        using var client = NewClient(endpoint);

        var stream = await client.DescribeStreamAsync(Arn);

        Assert.That(stream.Shards, Is.EqualTo(new[] { new DynamoDBStreamShard("a", null, "1", "9"), new DynamoDBStreamShard("b", "a", "10", null) }));
        Assert.That(stream.StreamViewType, Is.Null, "the last page's");
        var requests = endpoint.Requests.ToList();
        Assert.That(requests, Has.Count.EqualTo(3), "the 500 retried");
        Assert.That(requests.Select(r => r.Target), Is.All.EqualTo("DynamoDBStreams_20120810.DescribeStream"));
        Assert.That(requests[0].Message.Content!.Headers.ContentType!.MediaType, Is.EqualTo("application/x-amz-json-1.0"));
        Assert.That(requests[0].Message.Headers.GetValues("Authorization").Single(), Does.Contain("/eu-west-1/dynamodb/aws4_request"));
        Assert.That(requests[1].Json.TryGetProperty("ExclusiveStartShardId", out _), Is.False);
        Assert.That(requests[2].Json.GetProperty("ExclusiveStartShardId").GetString(), Is.EqualTo("a"));
    }

    [Test]
    public async Task GetRecords_GivesPlainKeysAndImages_AndAnErrorNamesItsCode()
    {
        var endpoint = new FakeKinesis
        {
            Respond = (request, index) => index == 0
                ? FakeKinesis.Json(HttpStatusCode.OK, """
                    {"Records":[{"eventID":"e1","eventName":"MODIFY","userIdentity":{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"},
                      "dynamodb":{"ApproximateCreationDateTime":1700000000.5,"SequenceNumber":"111","SizeBytes":26,"StreamViewType":"NEW_AND_OLD_IMAGES",
                      "Keys":{"id":{"S":"a"}},"NewImage":{"id":{"S":"a"},"n":{"N":"12"},"f":{"N":"1.5"},"ok":{"BOOL":true},"z":{"NULL":true},
                      "l":{"L":[{"S":"x"},{"N":"2"}]},"m":{"M":{"k":{"S":"v"}}},"ss":{"SS":["p","q"]},"b":{"B":"AQI="}},"OldImage":{"id":{"S":"a"}}}}],
                     "NextShardIterator":"next"}
                    """)
                : FakeKinesis.Error(HttpStatusCode.BadRequest, "com.amazonaws.dynamodb.v20120810#TrimmedDataAccessException", "trimmed"),
        };
        using var client = NewClient(endpoint);
        var records = new List<DynamoDBStreamRecord>();

        var page = await client.GetRecordsAsync("it", 1000, records);

        Assert.That(page, Is.EqualTo(new DynamoDBStreamRecordsPage("next", 1)));
        var record = records.Single();
        Assert.That((record.EventId, record.EventName, record.IdentityPrincipalId, record.IdentityType, record.SequenceNumber, record.SizeBytes),
            Is.EqualTo(("e1", "MODIFY", "dynamodb.amazonaws.com", "Service", "111", (long?)26)));
        Assert.That(record.ApproximateCreationDateTime, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500)));
        Assert.That(record.Keys, Is.EqualTo(new Dictionary<string, object?> { ["id"] = "a" }));
        var image = record.NewImage!;
        Assert.That((image["n"], image["f"], image["ok"], image["z"]), Is.EqualTo((12L, 1.5m, true, (object?)null)));
        Assert.That(image["l"], Is.EqualTo(new List<object?> { "x", 2L }));
        Assert.That(image["m"], Is.EqualTo(new Dictionary<string, object?> { ["k"] = "v" }));
        Assert.That(image["ss"], Is.EqualTo(new List<object?> { "p", "q" }));
        Assert.That(image["b"], Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(record.OldImage, Is.EqualTo(new Dictionary<string, object?> { ["id"] = "a" }));

        var failure = Assert.ThrowsAsync<DynamoDBStreamsException>(() => client.GetRecordsAsync("it", 1000, records));
        Assert.That(failure!.ErrorCode, Is.EqualTo("TrimmedDataAccessException"));
        Assert.That(failure.Message, Does.StartWith("DynamoDB Streams GetRecords failed: TrimmedDataAccessException (HTTP 400): trimmed"));
    }

    [Test]
    public void TheEndpoint_IsTheStreamsVariable_ElseTheGlobalOne_ElseTheRegionalStreamsHost()
    {
        var (service, global) = (Environment.GetEnvironmentVariable(DynamoDBStreamsClient.EndpointVariable), Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));
        try
        {
            Environment.SetEnvironmentVariable(DynamoDBStreamsClient.EndpointVariable, "http://127.0.0.1:4571");
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", "http://127.0.0.1:9999");
            Assert.That(DynamoDBStreamsClient.ResolveEndpoint(RegionEndpoint.EUWest1), Is.EqualTo(new Uri("http://127.0.0.1:4571")));
            Environment.SetEnvironmentVariable(DynamoDBStreamsClient.EndpointVariable, null);
            Assert.That(DynamoDBStreamsClient.ResolveEndpoint(RegionEndpoint.EUWest1), Is.EqualTo(new Uri("http://127.0.0.1:9999")));
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", null);
            Assert.That(DynamoDBStreamsClient.ResolveEndpoint(RegionEndpoint.EUWest1), Is.EqualTo(new Uri("https://streams.dynamodb.eu-west-1.amazonaws.com/")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(DynamoDBStreamsClient.EndpointVariable, service);
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", global);
        }
    }
}

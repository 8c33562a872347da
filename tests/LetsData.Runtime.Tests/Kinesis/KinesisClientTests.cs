using System.Net;
using System.Text;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Tests.Kinesis;

public class KinesisClientTests
{
    [Test]
    public async Task PutRecords_sends_each_record_as_base64_data_and_partition_key_under_the_JSON_1_1_protocol()
    {
        using var fake = new FakeKinesis();
        using var client = fake.NewClient();
        using var batch = new KinesisPutRecordsBatch();
        Assert.That(batch.TryAdd("first"u8, "k1"), Is.True);
        Assert.That(batch.TryAdd([0, 255, 1, 254], "k2"), Is.True);
        Assert.That(batch.TryAdd("third"u8, "k3"), Is.True);

        var all = await client.PutRecordsAsync("orders", batch);
        var some = await client.PutRecordsAsync("orders", batch, [2, 0]);

        Assert.That(all.FailedRecordCount, Is.Zero);
        Assert.That(some.Records, Has.Count.EqualTo(2));
        var requests = fake.Of("PutRecords");
        Assert.That(requests, Has.Count.EqualTo(2));
        var first = requests[0];
        Assert.Multiple(() =>
        {
            Assert.That(first.Message.Content!.Headers.GetValues("Content-Type").Single(), Is.EqualTo("application/x-amz-json-1.1"));
            Assert.That(first.Json.GetProperty("StreamName").GetString(), Is.EqualTo("orders"));
            Assert.That(Records(first), Is.EqualTo(new[] { ("k1", "Zmlyc3Q="), ("k2", Convert.ToBase64String([0, 255, 1, 254])), ("k3", "dGhpcmQ=") }));
            Assert.That(Records(requests[1]), Is.EqualTo(new[] { ("k3", "dGhpcmQ="), ("k1", "Zmlyc3Q=") }));
            Assert.That(first.Json.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "StreamName", "Records" }));
        });
    }

    [Test]
    public void A_batch_stops_at_500_records_and_at_5_MiB()
    {
        using var batch = new KinesisPutRecordsBatch();
        for (var i = 0; i < 500; i++)
        {
            Assert.That(batch.TryAdd("x"u8, "k"), Is.True);
        }

        Assert.That(batch.TryAdd("x"u8, "k"), Is.False);

        batch.Clear();
        var big = new byte[1024 * 1024 - 1];
        for (var i = 0; i < 5; i++)
        {
            Assert.That(batch.TryAdd(big, "k"), Is.True, $"record {i}");
        }

        Assert.Multiple(() =>
        {
            Assert.That(batch.PayloadBytes, Is.EqualTo(5 * 1024 * 1024));
            Assert.That(batch.TryAdd("x"u8, "k"), Is.False);
            Assert.That(() => batch.TryAdd(new byte[1024 * 1024], "k"), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }

    [Test]
    public void A_client_error_is_not_retried_and_names_its_code_status_and_message()
    {
        using var fake = new FakeKinesis
        {
            Respond = (_, _) => FakeKinesis.Error(HttpStatusCode.BadRequest, "com.amazonaws.kinesis.v20131202#ResourceNotFoundException", "Stream orders not found"),
        };
        using var client = fake.NewClient();

        var e = Assert.ThrowsAsync<KinesisException>(() => client.DescribeStreamSummaryAsync("orders"))!;

        Assert.Multiple(() =>
        {
            Assert.That(e.ErrorCode, Is.EqualTo("ResourceNotFoundException"));
            Assert.That(e.StatusCode, Is.EqualTo(400));
            Assert.That(e.Message, Does.Contain("ResourceNotFoundException").And.Contain("Stream orders not found"));
            Assert.That(fake.Requests, Has.Count.EqualTo(1));
        });
    }

    [TestCase(HttpStatusCode.InternalServerError, "InternalFailure")]
    [TestCase(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable")]
    [TestCase(HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException")]
    [TestCase(HttpStatusCode.BadRequest, "LimitExceededException")]
    [TestCase(HttpStatusCode.BadRequest, "ThrottlingException")]
    public async Task Transient_errors_are_retried_until_the_call_succeeds(HttpStatusCode status, string code)
    {
        using var fake = new FakeKinesis();
        fake.Respond = (request, index) => index < 4 ? FakeKinesis.Error(status, code) : fake.StoreAll(request);
        using var client = fake.NewClient();
        using var batch = new KinesisPutRecordsBatch();
        batch.TryAdd("a"u8, "k");

        var result = await client.PutRecordsAsync("orders", batch);

        Assert.That(result.FailedRecordCount, Is.Zero);
        Assert.That(fake.Requests, Has.Count.EqualTo(5));
        Assert.That(fake.Stored, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Network_failures_are_retried()
    {
        using var fake = new FakeKinesis();
        fake.Respond = (request, index) => index < 2 ? throw new HttpRequestException("connection reset (injected)") : fake.StoreAll(request);
        using var client = fake.NewClient();
        using var batch = new KinesisPutRecordsBatch();
        batch.TryAdd("a"u8, "k");

        await client.PutRecordsAsync("orders", batch);

        Assert.That(fake.Requests, Has.Count.EqualTo(3));
        Assert.That(fake.Stored, Has.Count.EqualTo(1));
    }

    [Test]
    public void A_spent_retry_budget_ends_in_an_error_naming_the_code_and_the_attempts()
    {
        using var fake = new FakeKinesis { Respond = (_, _) => FakeKinesis.Error(HttpStatusCode.InternalServerError, "InternalFailure") };
        using var client = fake.NewClient(FakeKinesis.FastRetries(attempts: 4));
        using var batch = new KinesisPutRecordsBatch();
        batch.TryAdd("a"u8, "k");

        var e = Assert.ThrowsAsync<KinesisException>(() => client.PutRecordsAsync("orders", batch))!;

        Assert.Multiple(() =>
        {
            Assert.That(fake.Requests, Has.Count.EqualTo(4));
            Assert.That(e.ErrorCode, Is.EqualTo("InternalFailure"));
            Assert.That(e.Message, Does.Contain("after 4 attempts").And.Contain("InternalFailure"));
        });
    }

    [Test]
    public void The_retry_policy_delays_within_the_exponential_cap_and_stops_at_its_budget()
    {
        var policy = new AwsRetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(3), MaxTotalDelay = TimeSpan.FromSeconds(100) };
        for (var i = 0; i < 200; i++)
        {
            Assert.That(policy.NextDelay(1, 1, TimeSpan.Zero), Is.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
            Assert.That(policy.NextDelay(2, 2, TimeSpan.Zero), Is.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(2)));
            Assert.That(policy.NextDelay(4, 4, TimeSpan.Zero), Is.InRange(TimeSpan.Zero, TimeSpan.FromSeconds(3)));
        }

        Assert.Multiple(() =>
        {
            Assert.That(policy.NextDelay(5, 5, TimeSpan.Zero), Is.Null, "attempts spent");
            Assert.That(policy.NextDelay(1, 1, TimeSpan.FromSeconds(101)), Is.Null, "waiting time spent");
        });
    }

    [Test]
    public async Task GetRecords_decodes_data_partition_keys_sequence_numbers_and_arrival_times()
    {
        using var fake = new FakeKinesis
        {
            Respond = (_, _) => FakeKinesis.Json(HttpStatusCode.OK, """
                {"Records":[
                  {"PartitionKey":"k0","Data":"aGVsbG8=","ApproximateArrivalTimestamp":1795722851.524,"SequenceNumber":"100"},
                  {"PartitionKey":"k1","Data":"YS9i\/w==","ApproximateArrivalTimestamp":1795722852,"SequenceNumber":"101","EncryptionType":"NONE"}],
                 "NextShardIterator":"it-2","MillisBehindLatest":7,"ChildShards":[]}
                """),
        };
        using var client = fake.NewClient();
        var records = new List<KinesisRecord>();

        var page = await client.GetRecordsAsync("it-1", 100, records);

        Assert.Multiple(() =>
        {
            Assert.That(page, Is.EqualTo(new KinesisRecordsPage(2, "it-2", 7)));
            Assert.That(records.Select(r => (r.PartitionKey, r.SequenceNumber)), Is.EqualTo(new[] { ("k0", "100"), ("k1", "101") }));
            Assert.That(Encoding.UTF8.GetString(records[0].Data.Span), Is.EqualTo("hello"));
            Assert.That(records[1].Data.ToArray(), Is.EqualTo(Convert.FromBase64String("YS9i/w==")));
            Assert.That(records[0].ApproximateArrivalTimestamp, Is.EqualTo(DateTimeOffset.FromUnixTimeMilliseconds(1795722851524)));
            Assert.That(fake.Requests.Single().Json.GetProperty("Limit").GetInt32(), Is.EqualTo(100));
        });
    }

    private static (string, string)[] Records(CapturedRequest request) =>
        request.Json.GetProperty("Records").EnumerateArray()
            .Select(r => (r.GetProperty("PartitionKey").GetString()!, r.GetProperty("Data").GetString()!)).ToArray();
}

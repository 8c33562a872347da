using System.Net;
using Amazon;
using Amazon.Runtime;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Tests.Kinesis;

public class KinesisShardReaderTests
{
    [Test]
    public async Task An_expired_iterator_is_replaced_by_one_after_the_last_record_handed_out()
    {
        using var fake = new FakeKinesis();
        var iterators = 0;
        fake.Respond = (request, _) =>
        {
            if (request.Target.EndsWith(".GetShardIterator", StringComparison.Ordinal))
            {
                return FakeKinesis.Json(HttpStatusCode.OK, $$"""{"ShardIterator":"it-{{++iterators}}"}""");
            }

            return request.Json.GetProperty("ShardIterator").GetString() switch
            {
                "it-1" => Page("it-1b", 500, ("1", "a"), ("2", "b")),
                "it-1b" => FakeKinesis.Error(HttpStatusCode.BadRequest, "ExpiredIteratorException", "Iterator expired"),
                "it-2" => Page("it-2b", 0, ("3", "c")),
                _ => Page("it-2c", 0),
            };
        };
        using var client = fake.NewClient();
        var source = new KinesisRecordSource(client, "in", KinesisStartPosition.Earliest, continuous: false);
        await using var reader = source.OpenShard("shardId-000000000000");
        var records = new List<KinesisRecord>();

        while (await reader.ReadAsync(records, CancellationToken.None))
        {
        }

        var iteratorRequests = fake.Of("GetShardIterator").Select(r => r.Json).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.SequenceNumber), Is.EqualTo(new[] { "1", "2", "3" }));
            Assert.That(iteratorRequests.Select(j => j.GetProperty("ShardIteratorType").GetString()), Is.EqualTo(new[] { "TRIM_HORIZON", "AFTER_SEQUENCE_NUMBER" }));
            Assert.That(iteratorRequests[1].GetProperty("StartingSequenceNumber").GetString(), Is.EqualTo("2"));
        });
    }

    [Test]
    public async Task A_closed_shard_ends_after_its_last_page_even_in_continuous_mode()
    {
        using var fake = new FakeKinesis();
        fake.Respond = (request, _) => request.Target.EndsWith(".GetShardIterator", StringComparison.Ordinal)
            ? FakeKinesis.Json(HttpStatusCode.OK, """{"ShardIterator":"it"}""")
            : Page(null, 0, ("9", "last"));
        using var client = fake.NewClient();
        var source = new KinesisRecordSource(client, "in", KinesisStartPosition.Latest, continuous: true);
        await using var reader = source.OpenShard("shardId-000000000003");
        var records = new List<KinesisRecord>();

        Assert.That(await reader.ReadAsync(records, CancellationToken.None), Is.True);
        Assert.That(await reader.ReadAsync(records, CancellationToken.None), Is.False);
        Assert.That(records.Select(r => r.SequenceNumber), Is.EqualTo(new[] { "9" }));
        Assert.That(fake.Of("GetRecords"), Has.Count.EqualTo(1));
        Assert.That(fake.Of("GetShardIterator").Single().Json.GetProperty("ShardIteratorType").GetString(), Is.EqualTo("LATEST"));
    }

    [Test]
    public async Task At_the_tip_a_continuous_reader_keeps_polling_and_a_stopping_one_ends()
    {
        using var fake = new FakeKinesis();
        fake.Respond = (request, _) => request.Target.EndsWith(".GetShardIterator", StringComparison.Ordinal)
            ? FakeKinesis.Json(HttpStatusCode.OK, """{"ShardIterator":"it"}""")
            : Page("it", 0);
        using var client = fake.NewClient();
        var records = new List<KinesisRecord>();

        await using var stopping = new KinesisRecordSource(client, "in", KinesisStartPosition.Earliest, continuous: false).OpenShard("s");
        Assert.That(await stopping.ReadAsync(records, CancellationToken.None), Is.False);

        await using var polling = new KinesisRecordSource(client, "in", KinesisStartPosition.Earliest, continuous: true).OpenShard("s");
        for (var i = 0; i < 3; i++)
        {
            Assert.That(await polling.ReadAsync(records, CancellationToken.None), Is.True);
        }

        Assert.That(fake.Of("GetRecords"), Has.Count.EqualTo(4));
        Assert.That(records, Is.Empty);
    }

    [Test]
    public async Task A_checkpoint_overrides_the_start_position()
    {
        using var fake = new FakeKinesis();
        fake.Respond = (request, _) => request.Target.EndsWith(".GetShardIterator", StringComparison.Ordinal)
            ? FakeKinesis.Json(HttpStatusCode.OK, """{"ShardIterator":"it"}""")
            : Page("it", 0);
        using var client = fake.NewClient();
        var start = KinesisStartPosition.AtSequenceNumbers(new Dictionary<string, string> { ["s"] = "100" });
        var source = new KinesisRecordSource(client, "in", start, continuous: false);

        await using (var atStart = source.OpenShard("s"))
        {
            await atStart.ReadAsync([], CancellationToken.None);
        }

        await using (var resumed = source.OpenShard("s", afterSequenceNumber: "150"))
        {
            await resumed.ReadAsync([], CancellationToken.None);
        }

        Assert.That(fake.Of("GetShardIterator").Select(r => (r.Json.GetProperty("ShardIteratorType").GetString(), r.Json.GetProperty("StartingSequenceNumber").GetString())),
            Is.EqualTo(new[] { ("AT_SEQUENCE_NUMBER", "100"), ("AFTER_SEQUENCE_NUMBER", "150") }));
    }

    [Test]
    public async Task A_request_that_never_answers_times_out_and_is_retried()
    {
        using var handler = new HangingOnceHandler();
        using var client = new KinesisClient(handler, new BasicAWSCredentials("a", "b"), RegionEndpoint.EUWest1, FakeKinesis.Endpoint,
            FakeKinesis.FastRetries(), requestTimeout: TimeSpan.FromMilliseconds(200));

        var iterator = await client.GetShardIteratorAsync("in", "s", KinesisShardIteratorType.TrimHorizon);

        Assert.That(iterator, Is.EqualTo("it"));
        Assert.That(handler.Calls, Is.EqualTo(2));
    }

    private static HttpResponseMessage Page(string? next, long behind, params (string Sequence, string Data)[] records)
    {
        var items = records.Select(r =>
            $$"""{"PartitionKey":"k","Data":"{{Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(r.Data))}}","ApproximateArrivalTimestamp":1700000000.5,"SequenceNumber":"{{r.Sequence}}"}""");
        var nextJson = next is null ? "null" : $"\"{next}\"";
        return FakeKinesis.Json(HttpStatusCode.OK, $$"""{"Records":[{{string.Join(',', items)}}],"NextShardIterator":{{nextJson}},"MillisBehindLatest":{{behind}}}""");
    }

    /// <summary>The first request never gets an answer (until cancelled); later ones get a shard iterator.</summary>
    private sealed class HangingOnceHandler : HttpMessageHandler
    {
        private int _calls;

        public int Calls => _calls;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            return FakeKinesis.Json(HttpStatusCode.OK, """{"ShardIterator":"it"}""");
        }
    }
}

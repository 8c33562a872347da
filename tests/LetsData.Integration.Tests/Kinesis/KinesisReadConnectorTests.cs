using System.Text;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Integration.Tests.Kinesis;

/// <summary>The Kinesis record source against kinesalite: start positions, caught-up stop, checkpoint resume.</summary>
public class KinesisReadConnectorTests
{
    private KinesisClient _client = null!;
    private string _stream = "";

    [SetUp]
    public async Task CreateAStream()
    {
        _client = KinesisStreams.NewClient();
        _stream = await KinesisStreams.CreateAsync(_client, shards: 2);
    }

    [TearDown]
    public async Task DeleteIt()
    {
        await _client.DeleteStreamAsync(_stream);
        _client.Dispose();
    }

    [Test]
    public async Task Earliest_reads_every_record_of_every_shard_in_order_and_stops_when_caught_up()
    {
        var put = await PutAsync("e", 300);
        var source = new KinesisRecordSource(_client, _stream, KinesisStartPosition.Earliest, continuous: false);

        var shards = await source.ListShardsAsync(CancellationToken.None);
        Assert.That(shards.ShardIds, Has.Count.EqualTo(2));
        Assert.That(shards.StreamArn, Does.Contain(_stream));
        foreach (var shard in shards.ShardIds)
        {
            var reader = source.OpenShard(shard);
            var records = await KinesisStreams.ReadShardAsync(reader);
            Assert.That(records.Select(Text), Is.EqualTo(put.Where(p => p.ShardId == shard).Select(p => p.Text)), shard);
            Assert.That(await reader.ReadAsync(records, CancellationToken.None), Is.False, "stays done");
        }
    }

    [Test]
    public async Task Latest_reads_only_records_put_after_the_reader_started()
    {
        await PutAsync("old", 40);
        var source = new KinesisRecordSource(_client, _stream, KinesisStartPosition.Latest, continuous: true);
        var shards = (await source.ListShardsAsync(CancellationToken.None)).ShardIds;
        var readers = shards.Select(s => source.OpenShard(s)).ToList();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var seen = new List<KinesisRecord>();
        foreach (var reader in readers)
        {
            Assert.That(await reader.ReadAsync(seen, guard.Token), Is.True, "continuous readers go on at the tip");
        }

        var fresh = await PutAsync("new", 30);
        while (seen.Count < fresh.Count)
        {
            foreach (var reader in readers)
            {
                await reader.ReadAsync(seen, guard.Token);
            }
        }

        Assert.That(seen.Select(Text).Order(), Is.EqualTo(fresh.Select(p => p.Text).Order()));
        foreach (var reader in readers)
        {
            await reader.DisposeAsync();
        }
    }

    [Test]
    public async Task AtSequenceNumber_starts_at_that_record_and_unlisted_shards_start_at_their_oldest()
    {
        var put = await PutAsync("s", 200);
        var byShard = put.GroupBy(p => p.ShardId).ToDictionary(g => g.Key, g => g.ToList());
        Assert.That(byShard, Has.Count.EqualTo(2), "the keys spread over both shards");
        var (startShard, otherShard) = (byShard.Keys.Order().First(), byShard.Keys.Order().Last());
        var startAt = byShard[startShard][10];
        var source = new KinesisRecordSource(_client, _stream,
            KinesisStartPosition.AtSequenceNumbers(new Dictionary<string, string> { [startShard] = startAt.SequenceNumber }), continuous: false);

        var fromStart = await KinesisStreams.ReadShardAsync(source.OpenShard(startShard));
        var fromOther = await KinesisStreams.ReadShardAsync(source.OpenShard(otherShard));

        Assert.That(fromStart.Select(Text), Is.EqualTo(byShard[startShard].Skip(10).Select(p => p.Text)));
        Assert.That(fromOther.Select(Text), Is.EqualTo(byShard[otherShard].Select(p => p.Text)));
    }

    [Test]
    public async Task A_checkpoint_resumes_just_after_its_record()
    {
        var put = await PutAsync("c", 120);
        var shard = put[0].ShardId;
        var inShard = put.Where(p => p.ShardId == shard).ToList();
        var source = new KinesisRecordSource(_client, _stream, KinesisStartPosition.Earliest, continuous: false, recordsPerRead: 7);

        var resumed = await KinesisStreams.ReadShardAsync(source.OpenShard(shard, afterSequenceNumber: inShard[4].SequenceNumber));

        Assert.That(resumed.Select(Text), Is.EqualTo(inShard.Skip(5).Select(p => p.Text)));
    }

    private static string Text(KinesisRecord record) => Encoding.UTF8.GetString(record.Data.Span);

    /// <summary>Puts <paramref name="count"/> records with distinct keys; returns where each went, in put order.</summary>
    private async Task<List<PutRecord>> PutAsync(string prefix, int count)
    {
        using var batch = new KinesisPutRecordsBatch();
        for (var i = 0; i < count; i++)
        {
            Assert.That(batch.TryAdd(Encoding.UTF8.GetBytes($"{prefix}-{i}"), $"{prefix}-key-{i}"), Is.True);
        }

        var result = await _client.PutRecordsAsync(_stream, batch, includeSequenceNumbers: true);
        Assert.That(result.FailedRecordCount, Is.Zero);
        return result.Records.Select((r, i) => new PutRecord($"{prefix}-{i}", r.ShardId!, r.SequenceNumber!)).ToList();
    }

    private sealed record PutRecord(string Text, string ShardId, string SequenceNumber);
}

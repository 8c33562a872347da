using LetsData.Runtime.Testing;

namespace Company.Parser.Tests;

/// <summary>The stream reader run by the worker's own engine over an in-memory stream (LetsData.Testing).</summary>
public sealed class EventRecordReaderTests
{
    [Test]
    public async Task The_sample_events_give_three_documents_and_one_error()
    {
        var stream = new InMemoryKinesisStream("events");
        foreach (var line in File.ReadLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "events.log")))
        {
            stream.Put("shardId-000000000000", "events", line);
        }

        var result = await LetsDataTestHarness.RunKinesisRecordReaderAsync(() => new EventRecordReader(), stream);

        Assert.That(result.SerializedDocuments, Has.Count.EqualTo(3));
        Assert.That(result.SerializedDocuments[0], Does.Contain("\"action\":\"login\""));
        Assert.That(result.ErrorDocs, Has.Count.EqualTo(1));
        Assert.That(result.ErrorDocs[0].ErrorMessage, Does.Contain("yesterday-ish"));
    }

    [Test]
    public async Task Each_shard_is_read_in_order()
    {
        var stream = new InMemoryKinesisStream("events");
        stream.Put("shardId-000000000000", "a", "2026-12-07T10:00:00Z login user=alice");
        stream.Put("shardId-000000000001", "b", "2026-12-07T10:00:01Z login user=bob");
        stream.Put("shardId-000000000000", "a", "2026-12-07T10:00:02Z logout user=alice");

        var result = await LetsDataTestHarness.RunKinesisRecordReaderAsync(() => new EventRecordReader(), stream);

        var alice = result.SerializedDocuments.Where(document => document.Contains("alice", StringComparison.Ordinal)).ToList();
        Assert.That(alice, Has.Count.EqualTo(2));
        Assert.That(alice[0], Does.Contain("\"action\":\"login\""));
        Assert.That(alice[1], Does.Contain("\"action\":\"logout\""));
    }
}

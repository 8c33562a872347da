using LetsData.Runtime.Testing;

namespace Company.Parser.Tests;

/// <summary>The queue reader run by the worker's own engine over an in-memory queue (LetsData.Testing).</summary>
public sealed class EventMessageReaderTests
{
    [Test]
    public async Task The_sample_events_give_three_documents_and_one_error_and_empty_the_queue()
    {
        var queue = new InMemorySqsQueue("events");
        foreach (var line in File.ReadLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "events.log")))
        {
            queue.Send(line);
        }

        var result = await LetsDataTestHarness.RunQueueMessageReaderAsync(() => new EventMessageReader(), queue);

        Assert.That(result.SerializedDocuments, Has.Count.EqualTo(3));
        Assert.That(result.SerializedDocuments[0], Does.Contain("\"action\":\"login\""));
        Assert.That(result.ErrorDocs, Has.Count.EqualTo(1));
        Assert.That(result.ErrorDocs[0].ErrorMessage, Does.Contain("yesterday-ish"));
        Assert.That(queue.Count, Is.Zero, "a message is deleted once its document is stored");
    }

    [Test]
    public async Task A_fifo_group_is_the_partition_key()
    {
        var queue = new InMemorySqsQueue("events.fifo");
        queue.Send("2026-12-07T10:00:00Z login user=alice", messageGroupId: "alice");

        var result = await LetsDataTestHarness.RunQueueMessageReaderAsync(() => new EventMessageReader(), queue);

        Assert.That(result.Documents.Single().PartitionKey, Is.EqualTo("alice"));
    }
}

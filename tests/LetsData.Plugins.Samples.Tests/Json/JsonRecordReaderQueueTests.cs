using System.Text.Json.Nodes;
using LetsData.Interfaces.Documents;
using LetsData.Plugins.Samples.Json;
using LetsData.Runtime.Testing;

namespace LetsData.Plugins.Samples.Tests.Json;

/// <summary>The chaining reader on SQS messages, through the harness's in-memory queue: a body comes back as the document it was.</summary>
public class JsonRecordReaderQueueTests
{
    [Test]
    public async Task AMessageBodyOfAnUpstreamDocumentSerializesBackToTheSameJson()
    {
        var upstream = new Document("doc-1", "WetText", "http://a.example/", new Dictionary<string, object?>
        {
            ["url"] = "http://a.example/", ["score"] = 0.25m, ["tags"] = new List<object?> { "a", 2L, null }, ["text"] = "Ünïcode text",
        }).Serialize()!;
        var queue = new InMemorySqsQueue();
        queue.Send(upstream);

        var result = await LetsDataTestHarness.RunQueueMessageReaderAsync(() => new JsonRecordReader(), queue);

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(JsonNode.DeepEquals(JsonNode.Parse(result.SerializedDocuments.Single()), JsonNode.Parse(upstream)), Is.True,
            result.SerializedDocuments.Single());
        Assert.That(result.Documents.Single().DocumentId, Is.EqualTo("doc-1"));
        Assert.That(queue.Count, Is.Zero);
    }

    [Test]
    public async Task AMessageWithoutIdentityFieldsTakesTheMessageIdAndItsGroup()
    {
        var queue = new InMemorySqsQueue("orders.fifo");
        var id = queue.Send("""{"amount": 12.50}""", messageGroupId: "customer-7", messageDeduplicationId: "o-1");

        var result = await LetsDataTestHarness.RunQueueMessageReaderAsync(() => new JsonRecordReader(), queue);

        var document = result.Documents.Single();
        Assert.That((document.DocumentId, document.PartitionKey, document.RecordType), Is.EqualTo((id, "customer-7", JsonRecordReader.DefaultRecordType)));
    }

    [TestCase("")]
    [TestCase("not json")]
    [TestCase("[1, 2]")]
    public async Task ABodyThatIsNotAJsonObjectIsAnErrorNamedByTheMessageId(string body)
    {
        var queue = new InMemorySqsQueue();
        var id = queue.Send(body.Length == 0 ? " " : body);

        var result = await LetsDataTestHarness.RunQueueMessageReaderAsync(() => new JsonRecordReader(), queue);

        Assert.That(result.Documents, Is.Empty);
        var error = result.ErrorDocs.Single();
        Assert.That(error.ErrorStartOffsetMap!["messageId"], Is.EqualTo(id));
        Assert.That(queue.Count, Is.Zero, "an error record is output too: the message is deleted");
    }
}

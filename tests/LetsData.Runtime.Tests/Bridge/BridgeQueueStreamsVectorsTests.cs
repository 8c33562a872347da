using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Bridge;

namespace LetsData.Runtime.Tests.Bridge;

/// <summary>
/// QueueMessageReader, DynamoDBStreamsRecordReader and SagemakerVectorsInterface through real hosts, with the sample
/// projects tests/TestPlugins/Bridge/python-readers and js-readers (they echo what they got): the arguments arrive as
/// spec §3.2 has them, and an exception in the user's code is an error document naming the function.
/// </summary>
public class BridgeQueueStreamsVectorsTests
{
    [TestCase(BridgeLanguage.Python)]
    [TestCase(BridgeLanguage.JavaScript)]
    public void QueueMessage_ArrivesWithItsIdsAttributesAndBody_AnExceptionIsAnErrorDocAtItsMessageId(BridgeLanguage language)
    {
        using var pool = TestProjects.SamplePool(language, BridgeQueueMessageReader.Contract);
        var reader = new BridgeQueueMessageReader(pool);

        var fifo = reader.ParseMessage("m-1", "g-1", "d-1", new Dictionary<string, string> { ["docId"] = "x" }, "héllo");
        var standard = reader.ParseMessage("m-2", null, null, new Dictionary<string, string>(), "plain");
        var failed = reader.ParseMessage("m-3", null, null, new Dictionary<string, string>(), "raise");

        Assert.That(Values(fifo), Is.EqualTo("""
            {"messageId":"m-1","messageGroupId":"g-1","messageDeduplicationId":"d-1","messageAttributes":{"docId":"x"},"messageBody":"héllo"}
            """));
        Assert.That(Values(standard), Is.EqualTo("""
            {"messageId":"m-2","messageGroupId":null,"messageDeduplicationId":null,"messageAttributes":{},"messageBody":"plain"}
            """), "a standard queue's message has no group or deduplication id");
        Assert.That(fifo.Document!.DocumentId, Is.EqualTo("héllo"));
        var error = (IErrorDoc)failed.Document!;
        Assert.That(failed.Status, Is.EqualTo(ParseDocumentResultStatus.Error));
        Assert.That(error.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["messageId"] = "m-3" }));
        Assert.That(error.ErrorMessage, Does.StartWith("QueueMessageReader.parseMessage raised").And.Contain("cannot parse message m-3")
            .And.Contain(pool.FileOf(BridgeQueueMessageReader.Contract) + ":"));
    }

    [TestCase(BridgeLanguage.Python)]
    [TestCase(BridgeLanguage.JavaScript)]
    public void StreamsRecord_ArrivesWithTimeInSecondsAndMissingImagesAsEmptyObjects_AnExceptionIsAnErrorDocAtItsSequenceNumber(BridgeLanguage language)
    {
        using var pool = TestProjects.SamplePool(language, BridgeDynamoDBStreamsRecordReader.Contract);
        var reader = new BridgeDynamoDBStreamsRecordReader(pool);
        var created = DateTimeOffset.FromUnixTimeSeconds(1_700_000_123);

        var inserted = reader.ParseRecord("arn:stream", "shard-1", "e-1", "INSERT", null, null, "100", 42, "NEW_IMAGE", created,
            new Dictionary<string, object?> { ["id"] = "k1" }, null, new Dictionary<string, object?> { ["id"] = "k1", ["n"] = 7L, ["ok"] = true });
        var removedByTtl = reader.ParseRecord("arn:stream", "shard-1", "e-2", "REMOVE", "dynamodb.amazonaws.com", "Service", "101", null,
            "KEYS_ONLY", created, new Dictionary<string, object?> { ["id"] = "k2" }, null, null);
        var failed = reader.ParseRecord("arn:stream", "shard-1", "e-3", "MODIFY", null, null, "102", 10, "KEYS_ONLY", created,
            new Dictionary<string, object?> { ["id"] = "raise" }, null, null);

        Assert.That(Values(inserted), Is.EqualTo("""
            {"args":["arn:stream","shard-1","e-1","INSERT",null,null,"100",42,"NEW_IMAGE",1700000123,{"id":"k1"},{},{"id":"k1","n":7,"ok":true}]}
            """));
        Assert.That(Values(removedByTtl), Is.EqualTo("""
            {"args":["arn:stream","shard-1","e-2","REMOVE","dynamodb.amazonaws.com","Service","101",0,"KEYS_ONLY",1700000123,{"id":"k2"},{},{}]}
            """), "LetsData's service requires both images as objects and sizeBytes as an integer");
        var error = (IErrorDoc)failed.Document!;
        Assert.That(error.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["sequenceNumber"] = "102" }));
        Assert.That(error.ErrorMessage, Does.StartWith("DynamoDBStreamsRecordReader.parseRecord raised").And.Contain("cannot parse record 102"));
    }

    [TestCase(BridgeLanguage.Python)]
    [TestCase(BridgeLanguage.JavaScript)]
    public void Vectorizer_GetsTheDocumentAsWrittenAndItsVectors_AnExceptionInEitherFunctionIsAnErrorDocNamingIt(BridgeLanguage language)
    {
        using var pool = TestProjects.SamplePool(language, BridgeVectorizer.Contract);
        var vectorizer = new BridgeVectorizer(pool);
        var page = new Document("p1", "Page", "p1", new Dictionary<string, object?> { ["text"] = "a page", ["url"] = "http://a.example/" });
        var badExtract = new Document("p2", "Page", "p2", new Dictionary<string, object?> { ["text"] = "raise-extract" });
        var badConstruct = new Document("p3", "Page", "p3", new Dictionary<string, object?> { ["text"] = "raise-construct" });

        var elements = vectorizer.ExtractDocumentElementsForVectorization(page);
        var nothing = vectorizer.ExtractDocumentElementsForVectorization(badExtract);
        vectorizer.ExtractDocumentElementsForVectorization(badConstruct);
        var vectorDoc = vectorizer.ConstructVectorDoc(page, new Dictionary<string, double[]> { ["Text"] = [0.5, -1.25] });
        var extractError = vectorizer.ConstructVectorDoc(badExtract, new Dictionary<string, double[]>());
        var constructError = vectorizer.ConstructVectorDoc(badConstruct, new Dictionary<string, double[]> { ["Text"] = [1.0] });

        Assert.That(elements, Is.EqualTo(new Dictionary<string, string> { ["Text"] = "a page" }));
        Assert.That(nothing, Is.Empty, "nothing to vectorize for a document whose extraction failed");
        Assert.That(vectorDoc, Is.Not.InstanceOf<IErrorDoc>());
        Assert.That(vectorDoc.DocumentId, Is.EqualTo("p1"));
        Assert.That(vectorDoc.RecordType, Is.EqualTo("VECTOR"));
        using var written = JsonDocument.Parse(vectorDoc.Serialize()!);
        Assert.That(written.RootElement.GetProperty("source").GetRawText(), Is.EqualTo(page.Serialize()),
            "the document goes as the write connector writes it");
        Assert.That(written.RootElement.GetProperty("TextVector").GetRawText(), Is.EqualTo("[0.5,-1.25]"));
        Assert.That(((IErrorDoc)extractError).ErrorMessage, Does.StartWith("SagemakerVectorsInterface.extractDocumentElementsForVectorization raised")
            .And.Contain("cannot extract from p2"));
        Assert.That(extractError.DocumentId, Is.EqualTo("p2"));
        Assert.That(((IErrorDoc)constructError).ErrorMessage, Does.StartWith("SagemakerVectorsInterface.constructVectorDoc raised")
            .And.Contain("cannot construct p3"));
        Assert.That(((IErrorDoc)constructError).ErrorStartOffsetMap, Is.Null, "the stage puts where the reader found the document");
    }

    [TestCase(BridgeLanguage.Python)]
    [TestCase(BridgeLanguage.JavaScript)]
    public void Hello_FindsEachInterfaceOfTheSampleProject(BridgeLanguage language)
    {
        using var pool = TestProjects.SamplePool(language, BridgeQueueMessageReader.Contract, BridgeDynamoDBStreamsRecordReader.Contract,
            BridgeVectorizer.Contract);

        var hello = pool.Hello();

        Assert.That(hello.FirstProblem(), Is.Null);
        Assert.That(hello.Interfaces.Select(i => i.File), Is.EqualTo(new[]
        {
            pool.FileOf(BridgeQueueMessageReader.Contract), pool.FileOf(BridgeDynamoDBStreamsRecordReader.Contract), pool.FileOf(BridgeVectorizer.Contract),
        }));
    }

    private static string Values(ParseDocumentResult result)
    {
        using var document = JsonDocument.Parse(result.Document!.Serialize()!);
        var root = document.RootElement;
        return root.TryGetProperty("args", out var args) ? $"{{\"args\":{args.GetRawText()}}}" : JsonSerializer.Serialize(new
        {
            messageId = root.GetProperty("messageId"), messageGroupId = root.GetProperty("messageGroupId"),
            messageDeduplicationId = root.GetProperty("messageDeduplicationId"), messageAttributes = root.GetProperty("messageAttributes"),
            messageBody = root.GetProperty("messageBody"),
        }, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}

using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Plugins.Samples.Json;
using LetsData.Runtime.Testing;

namespace LetsData.Plugins.Samples.Tests.Json;

/// <summary>
/// The chaining reader: documents an upstream dataset wrote to Kinesis or DynamoDB come back as the same documents,
/// through the harness's in-memory stream and table (the worker's engine).
/// </summary>
public class JsonRecordReaderTests
{
    private const string Shard = "shardId-000000000000";

    private static string Upstream(string id, string url) => new Document(id, "WetText", url, new Dictionary<string, object?>
    {
        ["url"] = url,
        ["contentLength"] = 1234L,
        ["score"] = 0.25m,
        ["tags"] = new List<object?> { "a", 2L, null },
        ["nested"] = new Dictionary<string, object?> { ["ok"] = true },
        ["text"] = "Ünïcode text",
    }).Serialize();

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    [Test]
    public async Task AKinesisRecordOfAnUpstreamDocumentSerializesBackToTheSameJson()
    {
        var plain = Upstream("doc-1", "http://a.example/");
        var compressed = Upstream("doc-2", "http://b.example/");
        var stream = new InMemoryKinesisStream();
        stream.Put(Shard, "http://a.example/", plain);
        stream.Put(Shard, "http://b.example/", Gzip(compressed));

        var result = await LetsDataTestHarness.RunKinesisRecordReaderAsync(() => new JsonRecordReader(), stream);

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(result.SerializedDocuments.Select(Normalized), Is.EqualTo(new[] { Normalized(plain), Normalized(compressed) }));
        Assert.That(result.Documents[1].PartitionKey, Is.EqualTo("http://b.example/"));
    }

    [Test]
    public async Task ARecordWithoutIdentityFieldsTakesTheSequenceNumberAndPartitionKey()
    {
        var stream = new InMemoryKinesisStream();
        var sequence = stream.Put(Shard, "customer-7", """{"amount": 12.50, "currency": "EUR"}""");

        var result = await LetsDataTestHarness.RunKinesisRecordReaderAsync(() => new JsonRecordReader(), stream);

        var document = result.Documents.Single();
        Assert.That(document.DocumentId, Is.EqualTo(sequence));
        Assert.That(document.PartitionKey, Is.EqualTo("customer-7"));
        Assert.That(document.RecordType, Is.EqualTo(JsonRecordReader.DefaultRecordType));
        Assert.That(result.SerializedDocuments.Single(), Does.Contain("\"amount\":12.50"));
    }

    [Test]
    public async Task BlankBadAndNonObjectRecordsAreErrorDocsAndTheGoodOnesAroundThemAreKept()
    {
        var stream = new InMemoryKinesisStream();
        stream.Put(Shard, "p", """{"documentId": "before"}""");
        var empty = stream.Put(Shard, "p", ReadOnlyMemory<byte>.Empty);
        var truncated = stream.Put(Shard, "p", """{"documentId": "cut""");
        var array = stream.Put(Shard, "p", "[1, 2]");
        var badGzip = stream.Put(Shard, "p", new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0x01 });
        stream.Put(Shard, "p", """{"documentId": "after"}""");

        var result = await LetsDataTestHarness.RunKinesisRecordReaderAsync(() => new JsonRecordReader(), stream);

        Assert.That(result.Documents.Select(d => d.DocumentId), Is.EqualTo(new[] { "before", "after" }));
        Assert.That(result.ErrorDocs.Select(e => e.ErrorStartOffsetMap!["sequenceNumber"]),
            Is.EqualTo(new[] { empty, truncated, array, badGzip }));
        Assert.That(result.ErrorDocs[0].ErrorMessage, Does.Contain("is empty"));
        Assert.That(result.ErrorDocs[2].ErrorMessage, Does.Contain("expected a JSON object"));
        Assert.That(result.Tasks.Single().Succeeded, Is.True);
    }

    [Test]
    public async Task ATableItemBecomesADocumentIdentifiedByItsKeysUnlessItCarriesAnId()
    {
        var table = new InMemoryDynamoDBTable("pages", ["site", "path"], totalSegments: 2);
        table.Add(new Dictionary<string, object?> { ["site"] = "example.org", ["path"] = "/a", ["title"] = "A", ["views"] = 3L });
        table.Add(new Dictionary<string, object?>
        {
            ["site"] = "example.org", ["path"] = "/b", ["documentId"] = "page-b", ["partitionKey"] = "example.org", ["title"] = "B",
        });

        var result = await LetsDataTestHarness.RunDynamoDBTableItemReaderAsync(() => new JsonRecordReader(), table);

        var byId = result.Documents.ToDictionary(d => d.DocumentId!);
        Assert.That(byId.Keys, Is.EquivalentTo(new[] { "example.org|/a", "page-b" }));
        Assert.That(byId["page-b"].PartitionKey, Is.EqualTo("example.org"));
        Assert.That(((Document)byId["example.org|/a"]).KeyValues["views"], Is.EqualTo(3L));
        // Identity fields are the document's own properties, not repeated among its values.
        Assert.That(((Document)byId["page-b"]).KeyValues.ContainsKey("documentId"), Is.False);
    }

    private static string Normalized(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}

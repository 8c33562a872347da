using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Documents;
using LetsData.Plugins.Samples.Json;
using LetsData.Runtime.Aws.DynamoDB;
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

    /// <summary>The item the DynamoDB write connector puts for a serialized document, as a stream image carries it.</summary>
    private static Dictionary<string, object?> AsWritten(string serialized) =>
        PlainAttributeValues.ToPlainItem(JsonItemParser.Parse(Encoding.UTF8.GetBytes(serialized)));

    private static Dictionary<string, object?> Key(string id) => new() { ["documentId"] = id };

    [Test]
    public async Task AStreamsNewImage_OfAWrittenDocument_SerializesBackToTheSameJson_ParentShardFirst_AndARemoveIsASkip()
    {
        var (a, b, c) = (Upstream("doc-a", "http://a.example/"), Upstream("doc-b", "http://b.example/"), Upstream("doc-c", "http://c.example/"));
        var stream = new InMemoryDynamoDBStream(batchSize: 1);
        stream.AddShard("parent");
        stream.AddShard("child", parentShardId: "parent");
        stream.Put("child", "INSERT", Key("doc-c"), AsWritten(c));
        stream.Put("child", "REMOVE", Key("doc-a"), newImage: null, oldImage: AsWritten(a));
        stream.Put("parent", "INSERT", Key("doc-a"), AsWritten(a));
        stream.Put("parent", "MODIFY", Key("doc-b"), AsWritten(b));

        var calls = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var result = await LetsDataTestHarness.RunDynamoDBStreamsRecordReaderAsync(() => new ShardRecording(calls), stream);

        Assert.That(result.Tasks.Select(t => (t.TaskId, t.Succeeded)), Is.EquivalentTo(new[] { ("parent", true), ("child", true) }));
        Assert.That(calls, Is.EqualTo(new[] { "parent", "parent", "child", "child" }), "the parent shard is read before its child");
        // The harness lists documents by task id: the child's first.
        Assert.That(result.SerializedDocuments.Select(Normalized), Is.EqualTo(new[] { c, a, b }.Select(Normalized)));
        Assert.That(result.Documents[1].PartitionKey, Is.EqualTo("http://a.example/"));
        Assert.That(result.SkipCount, Is.EqualTo(1));
    }

    [Test]
    public async Task AStreamWithoutNewImages_GivesSkips_AndAShardResumesExactlyFromEachCheckpoint()
    {
        var keysOnly = new InMemoryDynamoDBStream(streamViewType: "KEYS_ONLY");
        keysOnly.Put("s", "INSERT", Key("doc-a"), newImage: null);
        var skipped = await LetsDataTestHarness.RunDynamoDBStreamsRecordReaderAsync(() => new JsonRecordReader(), keysOnly);
        Assert.That((skipped.Documents.Count, skipped.SkipCount), Is.EqualTo((0, 1L)));

        var stream = new InMemoryDynamoDBStream(batchSize: 2);
        for (var i = 0; i < 7; i++)
        {
            stream.Put("s", "INSERT", Key($"doc-{i}"), AsWritten(Upstream($"doc-{i}", $"http://{i}.example/")));
        }

        var check = await LetsDataTestHarness.CheckDynamoDBStreamsRecordReaderResumeAsync(() => new JsonRecordReader(), stream, "s",
            everyRecords: 2, maxResumes: 3);
        Assert.That(check.Mismatches, Is.Empty);
        Assert.That(check.Resumed, Is.EqualTo(3));
    }

    /// <summary>The sample reader, noting the shard of each call.</summary>
    private sealed class ShardRecording(System.Collections.Concurrent.ConcurrentQueue<string> calls) : LetsData.Interfaces.Readers.IDynamoDBStreamsRecordReader
    {
        private readonly JsonRecordReader _reader = new();

        public LetsData.Interfaces.Readers.ParseDocumentResult ParseRecord(string streamArn, string shardId, string eventId, string eventName,
            string? identityPrincipalId, string? identityType, string sequenceNumber, long? sizeBytes, string streamViewType,
            DateTimeOffset approximateCreationDateTime, IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?>? oldImage,
            IReadOnlyDictionary<string, object?>? newImage)
        {
            calls.Enqueue(shardId);
            return _reader.ParseRecord(streamArn, shardId, eventId, eventName, identityPrincipalId, identityType, sequenceNumber, sizeBytes,
                streamViewType, approximateCreationDateTime, keys, oldImage, newImage);
        }
    }

    private static string Normalized(string json) => JsonSerializer.Serialize(JsonDocument.Parse(json).RootElement);
}

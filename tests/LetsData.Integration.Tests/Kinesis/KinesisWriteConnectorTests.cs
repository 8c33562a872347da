using System.IO.Compression;
using System.Text;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.Kinesis;

namespace LetsData.Integration.Tests.Kinesis;

/// <summary>The Kinesis write connector against kinesalite: documents written through a real sink, read back with the client.</summary>
public class KinesisWriteConnectorTests
{
    private static readonly TaskContext Task1 = new("kinesis-it", "task-1", new Dictionary<string, string>());

    [TestCase(false)]
    [TestCase(true)]
    public async Task Every_document_arrives_as_one_record_with_its_partition_key(bool compress)
    {
        using var client = KinesisStreams.NewClient();
        var stream = await KinesisStreams.CreateAsync(client, shards: 3);
        var documents = Enumerable.Range(0, 1_234)
            .Select(i => new TestDocument($"doc-{i}", i % 2 == 0 ? $"pk-{i % 17}" : null, $"{{\"n\":{i},\"text\":\"{new string('z', i % 300)}\"}}"))
            .ToList();
        using (var factory = new KinesisDocumentSinkFactory(client, stream, compress, ownsClient: false))
        {
            WriteAll(factory, documents);
            Assert.That(factory.Statistics.RecordsSent, Is.EqualTo(documents.Count));
        }

        var records = await KinesisStreams.ReadAllAsync(client, stream);

        var expected = documents.Select(d => (d.PartitionKey ?? d.DocumentId!, d.Body)).Order().ToList();
        var actual = records.Select(r => (r.PartitionKey, compress ? Gunzip(r.Data) : Encoding.UTF8.GetString(r.Data.Span))).Order().ToList();
        Assert.That(actual, Is.EqualTo(expected));
        Assert.That(records.Select(r => r.SequenceNumber).Distinct().Count(), Is.EqualTo(documents.Count));
        await client.DeleteStreamAsync(stream);
    }

    [Test]
    public async Task An_oversized_document_is_rejected_and_the_rest_arrive()
    {
        using var client = KinesisStreams.NewClient();
        var stream = await KinesisStreams.CreateAsync(client, shards: 2);
        using var factory = new KinesisDocumentSinkFactory(client, stream, compressRecords: false, ownsClient: false);
        var huge = new string('x', 1024 * 1024 + 1);

        using (var sink = factory.Open(Task1))
        {
            sink.Write(new TestDocument("a", null, "first"), "first");
            Assert.That(() => sink.Write(new TestDocument("huge", null, huge), huge),
                Throws.InstanceOf<DocumentRejectedException>().With.Message.Contain("1048576"));
            sink.Write(new TestDocument("b", null, "second"), "second");
            sink.Complete(true);
        }

        var records = await KinesisStreams.ReadAllAsync(client, stream);

        Assert.That(records.Select(r => Encoding.UTF8.GetString(r.Data.Span)).Order(), Is.EqualTo(new[] { "first", "second" }));
        await client.DeleteStreamAsync(stream);
    }

    [Test]
    public async Task Under_backlog_batches_are_full()
    {
        using var client = KinesisStreams.NewClient();
        var stream = await KinesisStreams.CreateAsync(client, shards: 4);
        using var factory = new KinesisDocumentSinkFactory(client, stream, compressRecords: false, ownsClient: false);

        WriteAll(factory, Enumerable.Range(0, 5_000).Select(i => new TestDocument($"d{i}", null, $"small document {i}")));

        var perCall = (double)factory.Statistics.RecordsSent / factory.Statistics.PutRecordsCalls;
        Assert.That(factory.Statistics.RecordsSent, Is.EqualTo(5_000));
        Assert.That(perCall, Is.GreaterThanOrEqualTo(0.95 * 500), $"{factory.Statistics.PutRecordsCalls} PutRecords calls");
        Assert.That(await KinesisStreams.ReadAllAsync(client, stream), Has.Count.EqualTo(5_000));
        await client.DeleteStreamAsync(stream);
    }

    private static void WriteAll(KinesisDocumentSinkFactory factory, IEnumerable<TestDocument> documents)
    {
        using var sink = factory.Open(Task1);
        foreach (var document in documents)
        {
            sink.Write(document, document.Body);
        }

        sink.Complete(true);
    }

    private static string Gunzip(ReadOnlyMemory<byte> data)
    {
        using var gzip = new GZipStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}

/// <summary>A document with just what the Kinesis sink looks at.</summary>
internal sealed record TestDocument(string? DocumentId, string? PartitionKey, string Body) : LetsData.Interfaces.Documents.IDocument
{
    public string? RecordType => "test";

    public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;

    public string? Serialize() => Body;
}

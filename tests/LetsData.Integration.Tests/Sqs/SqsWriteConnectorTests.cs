using System.Text.Json;
using Amazon.SQS;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Faults;
using LetsData.Runtime.Aws.Sqs;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.Sqs;

namespace LetsData.Integration.Tests.Sqs;

/// <summary>
/// The SQS write connector against the SQS emulator: batches of 10 messages / 256 KiB, a document over 256 KiB an
/// error record, throttling and partially failed batches sent again, FIFO group and deduplication ids.
/// </summary>
public class SqsWriteConnectorTests
{
    private AmazonSQSClient _sqs = null!;

    [OneTimeSetUp]
    public void CreateTheClient() => _sqs = SqsQueues.NewClient();

    [OneTimeTearDown]
    public void DisposeTheClient() => _sqs.Dispose();

    private static TaskContext Task(string id = "task-0001") => new("SqsIT", id, new Dictionary<string, string>());

    [Test]
    public async Task DocumentsGoOutInBatchesOfTenOrOf256KiBWithTheirIdAsAnAttribute()
    {
        var queue = await SqsQueues.CreateAsync(_sqs);
        using var factory = new SqsDocumentSinkFactory(_sqs, queue, null, "docId", ownsClient: false);
        // 25 small documents (10 per batch), then 20 of 60 KiB (4 fit in 256 KiB).
        var small = Enumerable.Range(0, 25).Select(i => new RawJsonDocument($"s{i}", $$"""{"n":{{i}}}""")).ToList();
        var large = Enumerable.Range(0, 20).Select(i => new RawJsonDocument($"l{i}", $$"""{"n":{{i}},"text":"{{new string('x', 60 * 1024)}}"}""")).ToList();

        using (var sink = factory.Open(Task()))
        {
            foreach (var document in small.Concat(large))
            {
                sink.Write(document, document.Json);
            }

            sink.Complete(true);
        }

        var messages = await SqsQueues.DrainAsync(_sqs, queue);
        Assert.That(messages.Select(m => m.Body), Is.EquivalentTo(small.Concat(large).Select(d => d.Json)));
        Assert.That(messages.Select(m => m.MessageAttributes["docId"].StringValue), Is.EquivalentTo(small.Concat(large).Select(d => d.DocumentId)));
        // 10 small, 10 small, 5 small with 4 large (240 KiB; a 5th large one would pass 256 KiB), then the other 16 large 4 at a time.
        Assert.That(factory.Statistics.SendMessageBatchCalls, Is.EqualTo(3 + 4));
        Assert.That(factory.Statistics.MessagesSent, Is.EqualTo(45));
    }

    [Test]
    public async Task ADocumentOver256KiBBecomesAnErrorRecordAndTheOthersArrive()
    {
        var queue = await SqsQueues.CreateAsync(_sqs);
        // Line 3 of 5 is 300 KiB: its document cannot be one message.
        var lines = string.Join("", Enumerable.Range(1, 5).Select(i => $"line {i} {(i == 3 ? new string('y', 300 * 1024) : "short")}\n"));
        var files = new InMemoryFileSource().Add(OneTaskRun.FileName, System.Text.Encoding.ASCII.GetBytes(lines));
        var errors = new CapturingSinks();
        using var documents = new SqsDocumentSinkFactory(_sqs, queue, null, null, ownsClient: false);

        var summary = await OneTaskRun.Start(files, () => new GatedLineParser(), documents, errors).WaitAsync(OneTaskRun.Guard);

        Assert.That(summary.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Completed), summary.Tasks.Single().ErrorMessage);
        var error = errors.Errors.Single();
        Assert.That(error.ErrorMessage, Does.Contain("too large for an SQS message").And.Contain("262144"));
        Assert.That(error.DocumentId, Is.EqualTo("line-000003"));
        var bodies = (await SqsQueues.DrainAsync(_sqs, queue)).Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("line").GetInt32());
        Assert.That(bodies, Is.EquivalentTo(new[] { 1, 2, 4, 5 }));
    }

    [Test]
    public async Task ADocumentWithACharacterSqsRefusesIsRejectedAloneInsteadOfFailingItsBatch()
    {
        var queue = await SqsQueues.CreateAsync(_sqs);
        using var factory = new SqsDocumentSinkFactory(_sqs, queue, null, null, ownsClient: false);
        var refused = new RawJsonDocument("bad", "{\"text\":\"a\uFFFFb\"}");

        using var sink = factory.Open(Task());
        sink.Write(new RawJsonDocument("a", """{"v":1}"""), """{"v":1}""");
        var e = Assert.Throws<DocumentRejectedException>(() => sink.Write(refused, refused.Json));
        sink.Write(new RawJsonDocument("b", """{"v":2}"""), """{"v":2}""");
        sink.Complete(true);

        Assert.That(e!.Message, Does.Contain("U+FFFF"));
        Assert.That((await SqsQueues.DrainAsync(_sqs, queue)).Select(m => m.Body), Is.EquivalentTo(new[] { """{"v":1}""", """{"v":2}""" }));
    }

    [Test]
    public void AQueueThatDoesNotExistFailsTheTaskNamingIt()
    {
        using var factory = new SqsDocumentSinkFactory(_sqs, "letsdata-no-such-queue", null, null, ownsClient: false);

        using var sink = factory.Open(Task());
        sink.Write(new RawJsonDocument("a", """{"v":1}"""), """{"v":1}""");
        var e = Assert.Throws<SqsWriteException>(() => sink.Complete(true));

        Assert.That(e!.Message, Does.Contain("queue 'letsdata-no-such-queue' (task task-0001)").And.Contain("NonExistentQueue"));
    }

    [Test]
    public async Task ThrottlingAndAPartiallyFailedBatchAreSentAgainUntilEveryMessageIsStoredOnce()
    {
        var queue = await SqsQueues.CreateAsync(_sqs);
        var faults = new SqsBatchFaults { ThrottleFirst = 2, RefuseEntryOfFirst = 2 };
        // No SDK retries: the connector's own retry is what is tested.
        using var client = SqsClients.Create(configure: c =>
        {
            c.HttpClientFactory = faults;
            c.MaxErrorRetry = 0;
        });
        using var factory = new SqsDocumentSinkFactory(client, queue, null, null, ownsClient: false);
        var documents = Enumerable.Range(0, 30).Select(i => new RawJsonDocument($"d{i}", $$"""{"n":{{i}}}""")).ToList();

        using (var sink = factory.Open(Task()))
        {
            foreach (var document in documents)
            {
                sink.Write(document, document.Json);
            }

            sink.Complete(true);
        }

        var bodies = (await SqsQueues.DrainAsync(_sqs, queue)).Select(m => m.Body).ToList();
        Assert.That(bodies, Is.EquivalentTo(documents.Select(d => d.Json)), "every message once");
        Assert.That(factory.Statistics.RequestRetries, Is.EqualTo(2));
        Assert.That(factory.Statistics.MessagesResent, Is.EqualTo(2));
        // 3 batches, 2 throttled attempts, 2 resends of one refused entry.
        Assert.That(faults.Count("SendMessageBatch"), Is.EqualTo(3 + 2 + 2));
    }

    [Test]
    public async Task AFifoQueueGetsGroupsByPartitionKeyKeepsTheirOrderAndDropsARepeatedDocument()
    {
        var queue = await SqsQueues.CreateAsync(_sqs, fifo: true);
        using var factory = new SqsDocumentSinkFactory(_sqs, queue, null, null, ownsClient: false);
        var documents = Enumerable.Range(0, 24).Select(i => new KeyedDocument($"doc-{i:D2}", $"key-{i % 3}", $$"""{"n":{{i}}}""")).ToList();

        using (var sink = factory.Open(Task()))
        {
            foreach (var document in documents)
            {
                sink.Write(document, document.Json);
            }

            // A resumed task sends what followed its checkpoint again: the same document id is deduplicated.
            sink.Write(documents[5], documents[5].Json);
            sink.Complete(true);
        }

        var messages = await SqsQueues.DrainAsync(_sqs, queue);
        Assert.That(messages, Has.Count.EqualTo(24));
        foreach (var group in messages.GroupBy(m => m.Attributes["MessageGroupId"]))
        {
            var numbers = group.Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("n").GetInt32()).ToList();
            Assert.That(numbers, Is.Ordered, group.Key);
            Assert.That(numbers.Select(n => $"key-{n % 3}"), Is.All.EqualTo(group.Key));
        }

        Assert.That(messages.Select(m => m.Attributes["MessageDeduplicationId"]), Is.EquivalentTo(documents.Select(d => d.DocumentId)));
    }

    /// <summary>A document with its own partition key.</summary>
    private sealed class KeyedDocument(string documentId, string partitionKey, string json) : LetsData.Interfaces.Documents.IDocument
    {
        public string Json { get; } = json;
        public string? DocumentId { get; } = documentId;
        public string? RecordType => "Keyed";
        public string? PartitionKey { get; } = partitionKey;
        public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;
        public string? Serialize() => Json;
    }
}

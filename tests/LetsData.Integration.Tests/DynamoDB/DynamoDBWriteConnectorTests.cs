using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.DynamoDB;

namespace LetsData.Integration.Tests.DynamoDB;

/// <summary>
/// The DynamoDB write connector against dynalite: documents in, items out equal to their JSON; documents the table
/// cannot take refused alone; unprocessed items, server errors and throttling (injected) retried; other errors fail.
/// </summary>
public class DynamoDBWriteConnectorTests
{
    private const string Key = "documentId";

    /// <summary>Short waits: the retry path is exercised, not the production backoff.</summary>
    private static readonly DynamoDBWriteOptions FastRetries = new()
    {
        MaxRetries = 4, InitialBackoff = TimeSpan.FromMilliseconds(2), MaxBackoff = TimeSpan.FromMilliseconds(10),
    };

    private static TaskContext Task(string id = "task-1") => new("DynamoDBIT", id, new Dictionary<string, string>());

    [Test]
    public async Task AThousandDocumentsArriveAsItemsEqualToTheirJson()
    {
        using var client = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, keyAttributeName: null, ownsClient: false);
        var documents = Enumerable.Range(0, 1000).Select(NewDocument).ToList();

        using (var sink = factory.Open(Task()))
        {
            foreach (var document in documents)
            {
                sink.Write(document, document.Json);
            }

            sink.Complete(true);
        }

        var items = await DynamoDBTestTables.ScanAllAsync(client, table);
        Assert.That(items, Has.Count.EqualTo(1000));
        var byId = items.ToDictionary(i => i[Key].S);
        foreach (var document in documents)
        {
            // The documents without the key field got their document id there.
            using var expected = JsonDocument.Parse(document.Json.Contains("\"documentId\"", StringComparison.Ordinal)
                ? document.Json
                : document.Json.Insert(1, $"\"documentId\":\"{document.DocumentId}\","));
            DynamoDBTestTables.AssertItemEqualsJson(expected.RootElement, byId[document.DocumentId!], document.DocumentId!);
        }

        Assert.That(factory.Counters.ItemsWritten, Is.EqualTo(1000));
        Assert.That(factory.Counters.BatchWriteItemCalls, Is.EqualTo(40), "25 puts per call");
        Assert.That(factory.Counters.UnprocessedRetries + factory.Counters.ErrorRetries, Is.Zero);
    }

    [Test]
    public async Task AnOversizedDocumentIsRejectedAndTheOthersAreWritten()
    {
        using var client = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, null, ownsClient: false);
        var big = new RawJsonDocument("big", $$"""{"text":"{{new string('x', 410 * 1024)}}"}""");
        var nearLimit = new RawJsonDocument("near", $$"""{"text":"{{new string('y', 400_000)}}"}""");

        using var sink = factory.Open(Task());
        sink.Write(new RawJsonDocument("a", """{"v":1}"""), """{"v":1}""");
        var e = Assert.Throws<DocumentRejectedException>(() => sink.Write(big, big.Json));
        sink.Write(nearLimit, nearLimit.Json);
        sink.Write(new RawJsonDocument("b", """{"v":2}"""), """{"v":2}""");
        sink.Complete(true);

        Assert.That(e!.Message, Does.Contain("419" /* 410 KiB + names */).And.Contain(DynamoDBItemSize.MaxItemBytes.ToString(CultureInfo.InvariantCulture)));
        var ids = (await DynamoDBTestTables.ScanAllAsync(client, table)).Select(i => i[Key].S);
        Assert.That(ids, Is.EquivalentTo(new[] { "a", "near", "b" }));
    }

    [Test]
    public async Task ADocumentWithoutTheSortKeyOrNotAnObjectIsRejected()
    {
        using var client = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(client, "pk", "sk", ScalarAttributeType.N);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, null, ownsClient: false);

        using var sink = factory.Open(Task());
        var noSortKey = Assert.Throws<DocumentRejectedException>(() => sink.Write(new RawJsonDocument("a", "{}"), """{"v":1}"""));
        var wrongType = Assert.Throws<DocumentRejectedException>(() => sink.Write(new RawJsonDocument("a", "{}"), """{"sk":"one"}"""));
        var notObject = Assert.Throws<DocumentRejectedException>(() => sink.Write(new RawJsonDocument("a", "{}"), "[1,2]"));
        var badNumber = Assert.Throws<DocumentRejectedException>(() => sink.Write(new RawJsonDocument("a", "{}"), """{"sk":1e200}"""));
        sink.Write(new RawJsonDocument("a", "{}"), """{"sk":7,"v":"kept"}""");
        sink.Complete(true);

        Assert.Multiple(() =>
        {
            Assert.That(noSortKey!.Message, Does.Contain("'sk'").And.Contain("sort key"));
            Assert.That(wrongType!.Message, Does.Contain("'sk'").And.Contain("type N"));
            Assert.That(notObject!.Message, Does.Contain("not a JSON object"));
            Assert.That(badNumber!.Message, Does.Contain("number range"));
        });
        var items = await DynamoDBTestTables.ScanAllAsync(client, table);
        Assert.That(items, Has.Count.EqualTo(1));
        Assert.That(items[0]["pk"].S, Is.EqualTo("a"));
        Assert.That(items[0]["sk"].N, Is.EqualTo("7"));
    }

    [Test]
    public async Task TheKeyAttributeNameGetsTheDocumentId()
    {
        using var client = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(client, "pk", "docId");
        using var factory = new DynamoDBDocumentSinkFactory(client, table, keyAttributeName: "docId", ownsClient: false);

        using var sink = factory.Open(Task());
        sink.Write(new RawJsonDocument("id-1", "{}"), """{"pk":"p"}""");
        sink.Write(new RawJsonDocument("id-2", "{}"), """{"pk":"p","docId":"own"}""");
        sink.Complete(true);

        var ids = (await DynamoDBTestTables.ScanAllAsync(client, table)).Select(i => i["docId"].S);
        Assert.That(ids, Is.EquivalentTo(new[] { "id-1", "own" }));
    }

    [Test]
    public async Task DuplicateIdsInOneBatchAreWrittenInOrderSoTheLastWins()
    {
        using var client = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, null, ownsClient: false);

        using var sink = factory.Open(Task());
        foreach (var (id, version) in new[] { ("a", 1), ("b", 1), ("a", 2), ("c", 1), ("a", 3), ("b", 2) })
        {
            var json = $$"""{"version":{{version}}}""";
            sink.Write(new RawJsonDocument(id, json), json);
        }

        sink.Complete(true);

        var versions = (await DynamoDBTestTables.ScanAllAsync(client, table)).ToDictionary(i => i[Key].S, i => i["version"].N);
        Assert.That(versions, Is.EquivalentTo(new Dictionary<string, string> { ["a"] = "3", ["b"] = "2", ["c"] = "1" }));
        Assert.That(factory.Counters.BatchWriteItemCalls, Is.EqualTo(3), "a batch is sent before each duplicate key");
    }

    [Test]
    public async Task UnprocessedItemsAreSentAgainUntilAllArrive()
    {
        var faults = new DynamoDBFaultInjectingHttpClientFactory();
        using var client = DynamoDBTestTables.NewClient(faults);
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, null, ownsClient: false, FastRetries);
        faults.HoldBackInBatchWrites(6);

        using (var sink = factory.Open(Task()))
        {
            for (var i = 0; i < 100; i++)
            {
                var json = $$"""{"i":{{i}}}""";
                sink.Write(new RawJsonDocument($"d{i:000}", json), json);
            }

            sink.Complete(true);
        }

        var items = await DynamoDBTestTables.ScanAllAsync(client, table);
        Assert.That(items.Select(i => i[Key].S), Is.EquivalentTo(Enumerable.Range(0, 100).Select(i => $"d{i:000}")));
        Assert.That(faults.HeldBackItems, Is.GreaterThanOrEqualTo(6));
        Assert.That(factory.Counters.UnprocessedRetries, Is.EqualTo(6));
        Assert.That(faults.BatchWriteRequests, Is.EqualTo(4 + 6), "4 full batches and one call more for each held-back answer");
        Assert.That(factory.Counters.ItemsWritten, Is.EqualTo(100));
    }

    [Test]
    public async Task ServerErrorsAreRetriedUntilTheBatchGoesThrough()
    {
        var faults = new DynamoDBFaultInjectingHttpClientFactory();
        using var client = DynamoDBTestTables.NewClient(faults);
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, null, ownsClient: false, FastRetries);
        faults.FailBatchWrites(3);

        using (var sink = factory.Open(Task()))
        {
            for (var i = 0; i < 30; i++)
            {
                sink.Write(new RawJsonDocument($"d{i}", "{}"), "{}");
            }

            sink.Complete(true);
        }

        Assert.That(await DynamoDBTestTables.ScanAllAsync(client, table), Has.Count.EqualTo(30));
        Assert.That(factory.Counters.ErrorRetries, Is.EqualTo(3));
        Assert.That(faults.BatchWriteRequests, Is.EqualTo(3 + 2));
    }

    [Test]
    public async Task DroppedConnectionsAreRetriedUntilTheBatchGoesThrough()
    {
        var faults = new DynamoDBFaultInjectingHttpClientFactory();
        using var client = DynamoDBTestTables.NewClient(faults);
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, null, ownsClient: false, FastRetries);
        faults.DropBatchWrites(2);

        using (var sink = factory.Open(Task()))
        {
            sink.Write(new RawJsonDocument("a", "{}"), "{}");
            sink.Complete(true);
        }

        Assert.That(await DynamoDBTestTables.ScanAllAsync(client, table), Has.Count.EqualTo(1));
        Assert.That(factory.Counters.ErrorRetries, Is.EqualTo(2));
        Assert.That(faults.BatchWriteRequests, Is.EqualTo(3));
    }

    [Test]
    public async Task ThrottlingBeyondTheRetryBudgetFailsNamingTableTaskAndCode()
    {
        var faults = new DynamoDBFaultInjectingHttpClientFactory();
        using var client = DynamoDBTestTables.NewClient(faults);
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, null, ownsClient: false, FastRetries);
        faults.FailBatchWrites(int.MaxValue, HttpStatusCode.BadRequest, "ProvisionedThroughputExceededException");

        using var sink = factory.Open(Task("task-throttled"));
        sink.Write(new RawJsonDocument("a", "{}"), "{}");
        var e = Assert.Throws<DynamoDBOperationException>(() => sink.Complete(true));

        Assert.That(e!.Message, Does.Contain(table).And.Contain("task-throttled").And.Contain("ProvisionedThroughputExceededException"));
        Assert.That(e.ErrorCode, Is.EqualTo("ProvisionedThroughputExceededException"));
        Assert.That(faults.BatchWriteRequests, Is.EqualTo(1 + FastRetries.MaxRetries));
    }

    [Test]
    public async Task TheTableIsDescribedOnceForAllTasks()
    {
        var requests = new DynamoDBFaultInjectingHttpClientFactory();
        using var client = DynamoDBTestTables.NewClient(requests);
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        var describesBefore = requests.Requests.GetValueOrDefault("DescribeTable");
        using var factory = new DynamoDBDocumentSinkFactory(client, table, null, ownsClient: false);

        var sinks = Enumerable.Range(0, 3).Select(i => factory.Open(Task($"task-{i}"))).ToList();
        foreach (var (sink, i) in sinks.Select((s, i) => (s, i)))
        {
            sink.Write(new RawJsonDocument($"d{i}", "{}"), "{}");
            sink.Complete(true);
            sink.Dispose();
        }

        Assert.That(requests.Requests.GetValueOrDefault("DescribeTable") - describesBefore, Is.EqualTo(1));
        Assert.That(await DynamoDBTestTables.ScanAllAsync(client, table), Has.Count.EqualTo(3));
    }

    [Test]
    public void AMissingTableFailsAtOpenNamingTableAndCode()
    {
        using var client = DynamoDBTestTables.NewClient();
        using var factory = new DynamoDBDocumentSinkFactory(client, "letsdata-it-missing-table", null, ownsClient: false);

        var e = Assert.Throws<DynamoDBOperationException>(() => factory.Open(Task()));

        Assert.That(e!.Message, Does.Contain("letsdata-it-missing-table").And.Contain("ResourceNotFoundException"));
    }

    [Test]
    public async Task ATableDeletedUnderTheTaskFailsItWithoutRetrying()
    {
        using var client = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(client, Key);
        using var factory = new DynamoDBDocumentSinkFactory(client, table, null, ownsClient: false, FastRetries);
        using var sink = factory.Open(Task("task-gone"));
        await client.DeleteTableAsync(table);

        sink.Write(new RawJsonDocument("a", "{}"), "{}");
        var e = Assert.Throws<DynamoDBOperationException>(() => sink.Complete(true));

        Assert.That(e!.Message, Does.Contain(table).And.Contain("task-gone").And.Contain("ResourceNotFoundException"));
        Assert.That(factory.Counters.BatchWriteItemCalls, Is.EqualTo(1));
    }

    private static RawJsonDocument NewDocument(int i)
    {
        var id = $"doc-{i:0000}";
        var flag = i % 2 == 0 ? "true" : "false";

        // Odd documents carry their key in the JSON, even ones leave it to the document id.
        var key = i % 2 == 1 ? $"\"documentId\":\"{id}\"," : "";
        var json = "{" + key + "\"i\":" + i.ToString(CultureInfo.InvariantCulture)
            + ",\"price\":12.75,\"big\":123456789012345678901234567890,\"negative\":-0.125,\"flag\":" + flag
            + ",\"none\":null,\"text\":\"é ü \\\" \\\\ ✓\",\"tags\":[\"a\"," + i.ToString(CultureInfo.InvariantCulture)
            + ",[true,null],{\"k\":\"v\"}],\"nested\":{\"deep\":{\"x\":\"y\",\"n\":-3},\"arr\":[[1,2],[]],\"obj\":{}}}";
        return new RawJsonDocument(id, json);
    }
}

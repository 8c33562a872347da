using System.Diagnostics;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Runtime.State;
using LetsData.Runtime.State.DynamoDB;
using LetsData.Runtime.Tests.State;

namespace LetsData.Integration.Tests.State;

/// <summary>
/// What is particular to the DynamoDB task store, in dynalite: the table it creates (or refuses), the item layout,
/// unreadable items and oversized checkpoints reported with the table, dataset, task and attribute, AWS errors wrapped.
/// </summary>
public sealed class DynamoDBTaskStoreTests
{
    private static readonly DateTimeOffset T0 = TestTaskRecords.T0;

    private string _dataset = "";

    private static AmazonDynamoDBClient Client => TaskTable.Client;

    private static string Table => TaskTable.Name;

    [SetUp]
    public void NameDataset() => _dataset = "Ddb" + Guid.NewGuid().ToString("N")[..12];

    private DynamoDBTaskStore Store() => new(Client, Table, _dataset);

    private TaskRecord NewRecord(string taskId = "task-0001") => TestTaskRecords.New(taskId, "a.gz", _dataset);

    [Test]
    public async Task EnsureTable_FromManyWorkersAtOnce_CreatesOneOnDemandTableWithTheTaskKeys_AndAcceptsItTheNextTime()
    {
        var name = "letsdata-tasks-" + Guid.NewGuid().ToString("N")[..12];

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => DynamoDBTaskStore.EnsureTableAsync(Client, name))));
        await DynamoDBTaskStore.EnsureTableAsync(Client, name);

        var table = (await Client.DescribeTableAsync(name)).Table;
        await Client.DeleteTableAsync(name);
        Assert.That(table.TableStatus, Is.EqualTo(TableStatus.ACTIVE));
        Assert.That(table.KeySchema.Select(k => $"{k.AttributeName}:{k.KeyType.Value}"), Is.EqualTo(new[] { "dataset:HASH", "taskId:RANGE" }));
        Assert.That(table.AttributeDefinitions.Select(a => $"{a.AttributeName}:{a.AttributeType.Value}"), Is.EquivalentTo(new[] { "dataset:S", "taskId:S" }));
        Assert.That(table.BillingModeSummary?.BillingMode, Is.EqualTo(BillingMode.PAY_PER_REQUEST));
    }

    [Test]
    public async Task EnsureTable_OfATableWithOtherKeys_SaysWhatATaskTableNeeds()
    {
        var name = await DynamoDBTestTables.CreateAsync(Client, "id");

        var e = Assert.ThrowsAsync<TaskStoreException>(() => DynamoDBTaskStore.EnsureTableAsync(Client, name));

        await Client.DeleteTableAsync(name);
        Assert.That(e!.Message, Does.Contain($"'{name}'"));
        Assert.That(e.Message, Does.Contain("partition key 'id' (S) and no sort key"));
        Assert.That(e.Message, Does.Contain("needs partition key 'dataset' (S) and sort key 'taskId' (S)"));
    }

    [Test]
    public void Location_NamesTheTableAndTheDataset() =>
        Assert.That(Store().Location, Is.EqualTo($"dynamodb://{Table}/{_dataset}"));

    [Test]
    public async Task TheItem_HasOneAttributePerField_AndTheCheckpointAsItsJsonText()
    {
        const string checkpointJson = """{"offsets":{"WARC":"12"},"n":1.50}""";
        using var checkpoint = JsonDocument.Parse(checkpointJson);
        var store = Store();
        var created = await store.CreateIfAbsentAsync(NewRecord() with
        {
            Checkpoint = checkpoint.RootElement.Clone(),
            Counters = new TaskRecordCounters(1, 2, 3, 4, 5, 6),
            LastError = new TaskLastError("boom", null, "a.gz", "offset", "7"),
        });
        await new TaskLeases(store, "worker-a", TimeSpan.FromMinutes(2), new ManualTimeProvider(T0)).TryClaimAsync(created, includeCompleted: false);

        var item = await RawItemAsync("task-0001");

        Assert.Multiple(() =>
        {
            Assert.That(item["dataset"].S, Is.EqualTo(_dataset));
            Assert.That(item["taskId"].S, Is.EqualTo("task-0001"));
            Assert.That(item["status"].S, Is.EqualTo("PROCESSING"));
            Assert.That(item["version"].N, Is.EqualTo("2"));
            Assert.That(item["attempts"].N, Is.EqualTo("0"));
            Assert.That(item["workerId"].S, Is.EqualTo("worker-a"));
            Assert.That(item["leaseExpiresAt"].S, Is.EqualTo("2026-01-02T03:06:05.0000000+00:00"));
            Assert.That(item["leaseCounter"].N, Is.EqualTo("1"));
            Assert.That(item["checkpoint"].S, Is.EqualTo(checkpointJson), "the checkpoint text exactly as written");
            Assert.That(item["counters"].M["documents"].N, Is.EqualTo("2"));
            Assert.That(item["lastError"].M["fileName"].S, Is.EqualTo("a.gz"));
            Assert.That(item["lastError"].M.ContainsKey("fileType"), Is.False, "absent fields are absent attributes");
            Assert.That(item["reader"].M["files"].M["file"].S, Is.EqualTo("a.gz"));
            Assert.That(item.ContainsKey("endedAt"), Is.False);
        });
    }

    [TestCase("status", null, "status", "missing")]
    [TestCase("status", "S:DONE-ISH", "status", "'DONE-ISH' is not a task status")]
    [TestCase("version", "S:two", "version", "not a whole number")]
    [TestCase("checkpoint", "S:{\"offset\":", "checkpoint", "not JSON")]
    [TestCase("createdAt", "S:yesterday", "createdAt", "not an ISO-8601 timestamp")]
    [TestCase("counters", "S:none", "counters", "not a map")]
    [TestCase("reader", null, "reader", "missing")]
    public async Task AnUnreadableItem_IsReportedWithTheTableDatasetTaskAndAttribute(string attribute, string? replacement, string named, string why)
    {
        using var checkpoint = JsonDocument.Parse("""{"offset":1}""");
        await Store().CreateIfAbsentAsync(NewRecord() with { Checkpoint = checkpoint.RootElement.Clone() });
        var item = await RawItemAsync("task-0001");
        if (replacement is null)
        {
            item.Remove(attribute);
        }
        else
        {
            item[attribute] = new AttributeValue { S = replacement["S:".Length..] };
        }

        await Client.PutItemAsync(new PutItemRequest { TableName = Table, Item = item });

        var get = Assert.ThrowsAsync<TaskStoreException>(() => Store().GetAsync("task-0001"));
        var list = Assert.ThrowsAsync<TaskStoreException>(() => Store().ListAsync());
        foreach (var e in new[] { get!, list! })
        {
            Assert.That(e.Message, Does.Contain($"'{Table}'").And.Contain($"'{_dataset}'").And.Contain("'task-0001'"));
            Assert.That(e.Message, Does.Contain($"attribute '{named}' is").And.Contain(why));
        }
    }

    [Test]
    public async Task AnUnreadableNestedAttribute_IsNamedByItsPath()
    {
        await Store().CreateIfAbsentAsync(NewRecord());
        var item = await RawItemAsync("task-0001");
        item["counters"].M.Remove("bytesRead");
        await Client.PutItemAsync(new PutItemRequest { TableName = Table, Item = item });

        var e = Assert.ThrowsAsync<TaskStoreException>(() => Store().GetAsync("task-0001"));

        Assert.That(e!.Message, Does.Contain("attribute 'counters.bytesRead' is missing"));
    }

    [Test]
    public async Task ACheckpointTooLargeForAnItem_IsRefusedClearly_AndNothingIsWritten()
    {
        using var big = JsonDocument.Parse(JsonSerializer.Serialize(new { state = new string('x', DynamoDBTaskStore.MaxCheckpointBytes) }));
        var store = Store();

        var onCreate = Assert.ThrowsAsync<TaskStoreException>(() => store.CreateIfAbsentAsync(NewRecord() with { Checkpoint = big.RootElement.Clone() }));
        var v1 = await store.CreateIfAbsentAsync(NewRecord());
        var onUpdate = Assert.ThrowsAsync<TaskStoreException>(() => store.UpdateAsync(v1 with { Checkpoint = big.RootElement.Clone() }));

        Assert.That(onCreate!.Message, Does.Contain("the checkpoint is").And.Contain($"at most {DynamoDBTaskStore.MaxCheckpointBytes}").And.Contain("'task-0001'"));
        Assert.That(onUpdate!.Message, Is.EqualTo(onCreate.Message));
        var stored = await store.GetAsync("task-0001");
        Assert.That(stored!.Version, Is.EqualTo(1));
        Assert.That(stored.Checkpoint, Is.Null);
    }

    [Test]
    public async Task AnUpdateWhoseAnswerWasLost_AndThatTheSdkResent_IsStillThisWorkersWrite()
    {
        var store = Store();
        var created = await store.CreateIfAbsentAsync(NewRecord());
        var lostAnswer = new LostAnswerHttpClientFactory("PutItem");
        using var client = DynamoDBClients.Create(config => config.HttpClientFactory = lostAnswer);
        var leases = new TaskLeases(new DynamoDBTaskStore(client, Table, _dataset), "worker-a", TimeSpan.FromMinutes(2), new ManualTimeProvider(T0));

        var claimed = await leases.TryClaimAsync(created, includeCompleted: false);

        Assert.That(lostAnswer.Lost, Is.EqualTo(1), "test set-up: the first answer was lost and the put resent");
        Assert.That(claimed, Is.Not.Null, "the claim the first send made is this worker's, not a conflict");
        Assert.That(claimed!.Version, Is.EqualTo(2));
        var stored = await store.GetAsync("task-0001");
        Assert.That(stored!.WorkerId, Is.EqualTo("worker-a"));
        Assert.That(stored.Version, Is.EqualTo(2));
    }

    [Test]
    public void AMissingTable_IsATaskStoreErrorNamingTheTable()
    {
        var store = new DynamoDBTaskStore(Client, "letsdata-no-such-table", _dataset);

        var e = Assert.ThrowsAsync<TaskStoreException>(() => store.GetAsync("task-0001"));

        Assert.That(e!.Message, Does.Contain("'letsdata-no-such-table'").And.Contain("GetItem").And.Contain("ResourceNotFoundException"));
    }

    [Test]
    public void ATableThatNeverAnswers_IsATaskStoreErrorNamingTheTableAndTheOperation()
    {
        using var client = DynamoDBClients.Create(config =>
        {
            config.HttpClientFactory = new NeverAnsweringHttpClientFactory();
            config.Timeout = TimeSpan.FromMilliseconds(200);
            config.MaxErrorRetry = 0;
        });
        var store = new DynamoDBTaskStore(client, "letsdata-silent-table", _dataset);

        // The guard only keeps a regression from hanging the test run; it is not a performance assertion.
        var e = Assert.ThrowsAsync<TaskStoreException>(() => store.GetAsync("task-0001").WaitAsync(TimeSpan.FromMinutes(1)));

        Assert.That(e!.InnerException, Is.InstanceOf<TimeoutException>(), "test set-up: the SDK reports its attempt timeout as a TimeoutException");
        Assert.That(e.Message, Does.Contain("'letsdata-silent-table'").And.Contain($"'{_dataset}'").And.Contain("'task-0001'"));
        Assert.That(e.Message, Does.Contain("GetItem could not reach DynamoDB").And.Contain(nameof(TimeoutException)));
    }

    [Test]
    public void ARecordOfAnotherDataset_IsRefused() =>
        Assert.ThrowsAsync<ArgumentException>(() => Store().CreateIfAbsentAsync(NewRecord() with { Dataset = "Other" }));

    /// <summary>Sends the first request of one operation to DynamoDB, then drops its answer as a broken connection does.</summary>
    private sealed class LostAnswerHttpClientFactory(string operation) : HttpClientFactory
    {
        private readonly string _operation = operation;
        private int _lost;

        public int Lost => Volatile.Read(ref _lost);

        public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this, new SocketsHttpHandler()));

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string GetConfigUniqueString(IClientConfig clientConfig) => "dynamodb-lost-answer";

        private sealed class Handler(LostAnswerHttpClientFactory owner, HttpMessageHandler inner) : DelegatingHandler(inner)
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                var target = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.Single() : "";
                if (target.EndsWith("." + owner._operation, StringComparison.Ordinal) && Interlocked.CompareExchange(ref owner._lost, 1, 0) == 0)
                {
                    response.Dispose();
                    throw new HttpRequestException("Connection reset by peer (injected by the test, after DynamoDB applied the request)");
                }

                return response;
            }
        }
    }

    /// <summary>A task table that accepts the connection and never answers: every request waits until it is cancelled.</summary>
    private sealed class NeverAnsweringHttpClientFactory : HttpClientFactory
    {
        // The attempt time limit on the HttpClient, as the SDK's own factory puts it.
        public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
            new(new Handler()) { Timeout = clientConfig.Timeout ?? Timeout.InfiniteTimeSpan };

        public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;

        public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;

        public override string GetConfigUniqueString(IClientConfig clientConfig) => "dynamodb-never-answers";

        private sealed class Handler : HttpMessageHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                throw new UnreachableException();
            }
        }
    }

    private async Task<Dictionary<string, AttributeValue>> RawItemAsync(string taskId) =>
        (await Client.GetItemAsync(new GetItemRequest
        {
            TableName = Table,
            Key = new Dictionary<string, AttributeValue> { ["dataset"] = new() { S = _dataset }, ["taskId"] = new() { S = taskId } },
            ConsistentRead = true,
        })).Item;
}

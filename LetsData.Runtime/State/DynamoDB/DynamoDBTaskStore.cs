using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.State.DynamoDB;

/// <summary>
/// The task store of workers on many machines: one DynamoDB table holds the task records of any number of datasets,
/// partition key <c>dataset</c> (S), sort key <c>taskId</c> (S); this instance reads and writes one dataset's partition.
/// Creation is a put conditioned on <c>attribute_not_exists(taskId)</c> and an update a put conditioned on the version
/// read, so <see cref="TaskLeases"/> claims stay exclusive across workers without transactions. Reads are consistent:
/// a worker deciding whether a task is claimable must not see a record older than the last write.
/// <para>
/// The client's own retries cover throttling and transient network errors; what still fails is reported as a
/// <see cref="TaskStoreException"/> naming the table. The caller owns the client.
/// </para>
/// </summary>
public sealed class DynamoDBTaskStore : ITaskStore
{
    private readonly IAmazonDynamoDB _client;

    /// <param name="client">A client from <see cref="DynamoDBClients.Create"/>; not disposed by the store.</param>
    /// <param name="tableName">The task table (see <see cref="EnsureTableAsync"/>).</param>
    /// <param name="dataset">The dataset whose records this store reads and writes (the partition key value).</param>
    public DynamoDBTaskStore(IAmazonDynamoDB client, string tableName, string dataset)
    {
        ArgumentException.ThrowIfNullOrEmpty(tableName);
        ArgumentException.ThrowIfNullOrEmpty(dataset);
        _client = client;
        TableName = tableName;
        Dataset = dataset;
    }

    /// <summary>The partition key attribute of a task table.</summary>
    public const string PartitionKey = DynamoDBTaskItem.DatasetAttribute;

    /// <summary>The sort key attribute of a task table.</summary>
    public const string SortKey = DynamoDBTaskItem.TaskIdAttribute;

    /// <summary>The largest checkpoint (as UTF-8 JSON) a record may carry; a larger one is a <see cref="TaskStoreException"/>.</summary>
    public const int MaxCheckpointBytes = DynamoDBTaskItem.MaxCheckpointBytes;

    public string TableName { get; }

    public string Dataset { get; }

    /// <summary><c>dynamodb://table/dataset</c>.</summary>
    public string Location => $"dynamodb://{TableName}/{Dataset}";

    public async Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default) =>
        await StoredItemAsync(taskId, cancellationToken).ConfigureAwait(false) is { } item ? DynamoDBTaskItem.ToRecord(item, TableName) : null;

    public async Task<IReadOnlyList<TaskRecord>> ListAsync(CancellationToken cancellationToken = default)
    {
        var records = new List<TaskRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var request = new QueryRequest
            {
                TableName = TableName,
                KeyConditionExpression = "#d = :d",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#d"] = PartitionKey },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue> { [":d"] = new AttributeValue { S = Dataset } },
                ConsistentRead = true,
                ExclusiveStartKey = start,
            };
            var page = await CallAsync("Query", null, () => _client.QueryAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
            records.AddRange((page.Items ?? []).Select(item => DynamoDBTaskItem.ToRecord(item, TableName)));
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        // DynamoDB orders sort keys by UTF-8 bytes; the interface promises ordinal (UTF-16) order, which differs only
        // for characters beyond the BMP. Sorting again keeps every store identical.
        records.Sort((a, b) => string.CompareOrdinal(a.TaskId, b.TaskId));
        return records;
    }

    public async Task<TaskRecord> CreateIfAbsentAsync(TaskRecord record, CancellationToken cancellationToken = default)
    {
        CheckDataset(record);
        var created = record with { Version = 1 };
        var item = DynamoDBTaskItem.From(created, created.Version, TableName);

        // A record deleted between the failed put and the read (by hand, or a redrive tool) is created again.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CallAsync("PutItem", record.TaskId, () => _client.PutItemAsync(new PutItemRequest
                {
                    TableName = TableName,
                    Item = item,
                    ConditionExpression = "attribute_not_exists(#t)",
                    ExpressionAttributeNames = new Dictionary<string, string> { ["#t"] = SortKey },
                }, cancellationToken), cancellationToken).ConfigureAwait(false);
                return created;
            }
            catch (ConditionalCheckFailedException)
            {
                if (await GetAsync(record.TaskId, cancellationToken).ConfigureAwait(false) is { } stored)
                {
                    return stored;
                }

                if (attempt == 3)
                {
                    throw new TaskStoreException($"{Describe(record.TaskId)}: the record exists to a conditional put but not to a consistent read, three times in a row");
                }
            }
        }
    }

    public async Task<TaskRecord> UpdateAsync(TaskRecord record, CancellationToken cancellationToken = default)
    {
        CheckDataset(record);
        var updated = record with { Version = record.Version + 1 };
        var item = DynamoDBTaskItem.From(updated, updated.Version, TableName);
        try
        {
            await CallAsync("PutItem", record.TaskId, () => _client.PutItemAsync(new PutItemRequest
            {
                TableName = TableName,
                Item = item,
                ConditionExpression = "#v = :expected",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#v"] = DynamoDBTaskItem.VersionAttribute },
                ExpressionAttributeValues = new Dictionary<string, AttributeValue>
                {
                    [":expected"] = new AttributeValue { N = record.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                },
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
            return updated;
        }
        catch (ConditionalCheckFailedException)
        {
            // The SDK resends a put whose answer was lost; when the first send was applied, the resend fails its
            // condition on this very write. Reporting that as a conflict would make a worker give up a claim it holds.
            var stored = await StoredItemAsync(record.TaskId, cancellationToken).ConfigureAwait(false);
            if (stored is not null && DynamoDBTaskItem.SameItem(stored, item))
            {
                return updated;
            }

            throw new TaskConflictException(record.TaskId, record.Version, DynamoDBTaskItem.VersionOf(stored));
        }
    }

    /// <summary>
    /// Makes sure the task table exists: creates it (on-demand capacity, <c>dataset</c> S partition key, <c>taskId</c> S
    /// sort key) when it does not, waits until it is usable, and checks the key schema of a table that was there.
    /// Safe to call from many workers at once.
    /// </summary>
    /// <param name="client">The client the store will use.</param>
    /// <param name="tableName">The task table.</param>
    /// <param name="timeout">How long to wait for a new table to become ACTIVE; default 5 minutes.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="TaskStoreException">The table has another key schema, never became ACTIVE, or DynamoDB failed.</exception>
    public static async Task EnsureTableAsync(IAmazonDynamoDB client, string tableName, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var table = await DescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false);
        if (table is null)
        {
            await CreateTableAsync(client, tableName, cancellationToken).ConfigureAwait(false);
        }

        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromMinutes(5));
        var delay = TimeSpan.FromMilliseconds(20);
        while (table is null || (table.TableStatus != TableStatus.ACTIVE && table.TableStatus != TableStatus.UPDATING))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TaskStoreException($"{DynamoDBTaskItem.Label(tableName)} is {table?.TableStatus?.Value ?? "not found"}, not ACTIVE, after {(timeout ?? TimeSpan.FromMinutes(5)).TotalSeconds:F0} s");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            table = await DescribeAsync(client, tableName, cancellationToken).ConfigureAwait(false);
        }

        var schema = DynamoDBKeySchema.From(table);
        if (schema != new DynamoDBKeySchema(PartitionKey, ScalarAttributeType.S, SortKey, ScalarAttributeType.S))
        {
            throw new TaskStoreException($"DynamoDB table '{tableName}' cannot hold task records: its key is partition key " +
                $"'{schema.PartitionKey}' ({schema.PartitionKeyType.Value})" +
                (schema.SortKey is null ? " and no sort key" : $", sort key '{schema.SortKey}' ({schema.SortKeyType?.Value})") +
                $"; a task table needs partition key '{PartitionKey}' (S) and sort key '{SortKey}' (S). Name another table or create it so.");
        }
    }

    private static async Task<TableDescription?> DescribeAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            return (await CallTableAsync(DynamoDBTaskItem.Label(tableName), "DescribeTable", () => client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken),
                cancellationToken).ConfigureAwait(false)).Table;
        }
        catch (TaskStoreException e) when (e.InnerException is ResourceNotFoundException)
        {
            return null;
        }
    }

    private static async Task CreateTableAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        try
        {
            await CallTableAsync(DynamoDBTaskItem.Label(tableName), "CreateTable", () => client.CreateTableAsync(new CreateTableRequest
            {
                TableName = tableName,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                KeySchema = [new KeySchemaElement(PartitionKey, KeyType.HASH), new KeySchemaElement(SortKey, KeyType.RANGE)],
                AttributeDefinitions = [new AttributeDefinition(PartitionKey, ScalarAttributeType.S), new AttributeDefinition(SortKey, ScalarAttributeType.S)],
            }, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        catch (TaskStoreException e) when (e.InnerException is ResourceInUseException)
        {
            // Another worker created it first; the wait for ACTIVE and the key check follow either way.
        }
    }

    /// <summary>The stored item as it is, unparsed: a conflict must be reported even when the stored record is unreadable.</summary>
    private async Task<Dictionary<string, AttributeValue>?> StoredItemAsync(string taskId, CancellationToken cancellationToken)
    {
        var response = await CallAsync("GetItem", taskId, () => _client.GetItemAsync(new GetItemRequest
        {
            TableName = TableName,
            Key = DynamoDBTaskItem.Key(Dataset, taskId),
            ConsistentRead = true,
        }, cancellationToken), cancellationToken).ConfigureAwait(false);
        return response.Item is { Count: > 0 } item ? item : null;
    }

    private void CheckDataset(TaskRecord record)
    {
        if (record.Dataset != Dataset)
        {
            throw new ArgumentException($"task {record.TaskId} belongs to dataset '{record.Dataset}', not to this store's '{Dataset}'", nameof(record));
        }
    }

    private string Describe(string? taskId) => DynamoDBTaskItem.Label(TableName, Dataset, taskId);

    private Task<T> CallAsync<T>(string operation, string? taskId, Func<Task<T>> call, CancellationToken cancellationToken) =>
        CallTableAsync(Describe(taskId), operation, call, cancellationToken);

    /// <summary>
    /// Runs one SDK call (which retries throttling and transient errors itself) and turns what still fails into a
    /// <see cref="TaskStoreException"/>; a failed condition stays what it is, the callers decide what it means.
    /// </summary>
    private static async Task<T> CallTableAsync<T>(string where, string operation, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ConditionalCheckFailedException)
        {
            throw;
        }
        catch (AmazonServiceException e)
        {
            throw new TaskStoreException($"{where}: {operation} failed with {e.ErrorCode} (HTTP {(int)e.StatusCode}): {e.Message}", e);
        }
        catch (Exception e) when (DynamoDBClients.IsTransportFailure(e, cancellationToken))
        {
            throw new TaskStoreException($"{where}: {operation} could not reach DynamoDB: {e.GetType().Name}: {e.Message}", e);
        }
    }
}

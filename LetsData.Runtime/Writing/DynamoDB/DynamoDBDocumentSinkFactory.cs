using Amazon.DynamoDBv2;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing.DynamoDB;

/// <summary>
/// The <c>DynamoDB</c> write connector: one item per document, its attributes the fields of the serialized JSON
/// object. The partition key (or <c>keyAttributeName</c>) gets the document id when the JSON has no such field. The
/// table is described once, at the first <see cref="Open"/>, to learn its key schema.
/// </summary>
public sealed class DynamoDBDocumentSinkFactory : IDocumentSinkFactory, IDisposable
{
    private readonly IAmazonDynamoDB _client;
    private readonly string? _keyAttributeName;
    private readonly bool _ownsClient;
    private readonly DynamoDBWriteOptions _options;
    private readonly DynamoDBKeySchemaLoader _keySchema;

    /// <param name="client">The DynamoDB client (see <see cref="DynamoDBClients"/>).</param>
    /// <param name="tableName">The table written to.</param>
    /// <param name="keyAttributeName">The attribute that gets the document id when the JSON lacks it; null: the partition key.</param>
    /// <param name="ownsClient">Dispose the client with this factory.</param>
    /// <param name="options">Retry budget and backoff; null: <see cref="DynamoDBWriteOptions.Default"/>.</param>
    public DynamoDBDocumentSinkFactory(IAmazonDynamoDB client, string tableName, string? keyAttributeName, bool ownsClient, DynamoDBWriteOptions? options = null)
    {
        _client = client;
        TableName = tableName;
        _keyAttributeName = keyAttributeName;
        _ownsClient = ownsClient;
        _options = options ?? DynamoDBWriteOptions.Default;
        _keySchema = new DynamoDBKeySchemaLoader(client, tableName);
    }

    /// <summary>The id of DynamoDB outputs in checkpoints.</summary>
    public const string Id = "dynamodb";

    public string CheckpointId => Id;

    public string TableName { get; }

    /// <summary>Calls, items and retries of all tasks' writers.</summary>
    public DynamoDBWriteCounters Counters { get; } = new();

    /// <exception cref="DynamoDBOperationException">The table cannot be described (missing, no access).</exception>
    public IDocumentSink Open(TaskContext task)
    {
        var schema = _keySchema.GetAsync().GetAwaiter().GetResult();
        return new DynamoDBDocumentSink(schema, _keyAttributeName, new DynamoDBBatchWriter(_client, TableName, task.TaskId, _options, Counters));
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}

using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.Writing.DynamoDB;

/// <summary>
/// One task's DynamoDB writer: puts documents in batches of 25, one batch in flight while the next fills, so the
/// task's thread keeps parsing while DynamoDB works (<see cref="DoubleBufferedSender{TBatch}"/>). A document the table
/// cannot take is refused alone (<see cref="DocumentRejectedException"/>) before it can spoil a batch.
/// </summary>
internal sealed class DynamoDBDocumentSink : IDocumentSink
{
    private const int MaxBatchSize = 25;

    /// <summary>DynamoDB's limits for key values: partition key 2048 bytes, sort key 1024 bytes.</summary>
    private const int MaxPartitionKeyBytes = 2048;
    private const int MaxSortKeyBytes = 1024;

    private readonly DynamoDBKeySchema _schema;
    private readonly string _idAttribute;
    private readonly HashSet<Dictionary<string, AttributeValue>> _keysInBatch;
    private readonly DoubleBufferedSender<List<WriteRequest>> _batches;

    public DynamoDBDocumentSink(DynamoDBKeySchema schema, string? keyAttributeName, DynamoDBBatchWriter writer)
    {
        _schema = schema;
        _idAttribute = keyAttributeName ?? schema.PartitionKey;
        _keysInBatch = new HashSet<Dictionary<string, AttributeValue>>(MaxBatchSize, new ItemKeyComparer(schema));
        _batches = new DoubleBufferedSender<List<WriteRequest>>(
            new List<WriteRequest>(MaxBatchSize), new List<WriteRequest>(MaxBatchSize), batch => batch.Count == 0,
            batch =>
            {
                batch.Clear();
                _keysInBatch.Clear();
            },
            writer.WriteAsync);
    }

    public void Write(IDocument document, ReadOnlySpan<byte> serialized)
    {
        ObjectDisposedException.ThrowIf(_batches.IsCompleted, this);
        // Fail the task at once rather than parse more documents for a table that refuses them.
        _batches.ThrowIfSendFailed();

        Dictionary<string, AttributeValue> item;
        try
        {
            item = JsonItemParser.Parse(serialized);
        }
        catch (JsonItemException e)
        {
            throw new DocumentRejectedException($"The document {e.Message}");
        }

        if (!item.ContainsKey(_idAttribute))
        {
            item[_idAttribute] = DocumentIdValue(document.DocumentId);
        }

        CheckKey(item, _schema.PartitionKey, _schema.PartitionKeyType, "partition key", MaxPartitionKeyBytes);
        if (_schema.SortKey is { } sortKey)
        {
            CheckKey(item, sortKey, _schema.SortKeyType!, "sort key", MaxSortKeyBytes);
        }

        var size = DynamoDBItemSize.Of(item);
        if (size > DynamoDBItemSize.MaxItemBytes)
        {
            throw new DocumentRejectedException(
                $"The document is {size} bytes as a DynamoDB item; DynamoDB's limit is {DynamoDBItemSize.MaxItemBytes} bytes (400 KB)");
        }

        if (!_keysInBatch.Add(item))
        {
            // DynamoDB refuses a batch with two puts of one key: the earlier put goes first, so the later one wins.
            _batches.Send();
            _keysInBatch.Add(item);
        }

        _batches.Filling.Add(new WriteRequest(new PutRequest(item)));
        if (_batches.Filling.Count == MaxBatchSize)
        {
            _batches.Send();
        }
    }

    /// <summary>
    /// Writes what is batched and waits for it, for a failed task too, quietly
    /// (<see cref="DoubleBufferedSender{TBatch}.Complete"/>).
    /// </summary>
    public void Complete(bool succeeded) => _batches.Complete(succeeded);

    /// <summary>Writes what is batched and waits for it; puts are idempotent by key, so a resume needs no position.</summary>
    public bool TryCheckpoint(out string? position)
    {
        _batches.Flush();
        position = null;
        return true;
    }

    public void Dispose() => _batches.Dispose();

    private AttributeValue DocumentIdValue(string? documentId)
    {
        if (documentId is null)
        {
            throw new DocumentRejectedException($"The document has no '{_idAttribute}' attribute and no document id to put there");
        }

        var type = _idAttribute == _schema.PartitionKey ? _schema.PartitionKeyType
            : _idAttribute == _schema.SortKey ? _schema.SortKeyType
            : ScalarAttributeType.S;
        if (type == ScalarAttributeType.N)
        {
            return DynamoDBNumbers.Check(documentId, out _) is null
                ? new AttributeValue { N = documentId }
                : throw new DocumentRejectedException($"The document id '{documentId}' is not a number, and '{_idAttribute}' is a number attribute");
        }

        return type == ScalarAttributeType.B
            ? new AttributeValue { B = new MemoryStream(Encoding.UTF8.GetBytes(documentId), writable: false) }
            : new AttributeValue { S = documentId };
    }

    private static void CheckKey(Dictionary<string, AttributeValue> item, string name, ScalarAttributeType type, string role, int maxBytes)
    {
        if (!item.TryGetValue(name, out var value))
        {
            throw new DocumentRejectedException($"The document has no '{name}' attribute, the table's {role}");
        }

        var bytes = type == ScalarAttributeType.S && value.S is { } s ? Encoding.UTF8.GetByteCount(s)
            : type == ScalarAttributeType.N && value.N is not null ? 1
            : type == ScalarAttributeType.B && value.B is { } b ? (int)b.Length
            : -1;
        if (bytes < 0)
        {
            throw new DocumentRejectedException($"The document's '{name}' attribute, the table's {role}, is not of the key's type {type.Value}");
        }

        if (bytes == 0 || bytes > maxBytes)
        {
            throw new DocumentRejectedException($"The document's '{name}' attribute, the table's {role}, is {bytes} bytes; DynamoDB takes 1 to {maxBytes}");
        }
    }
}

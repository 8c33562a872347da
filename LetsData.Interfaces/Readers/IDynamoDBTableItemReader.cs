namespace LetsData.Interfaces.Readers;

/// <summary>Parses DynamoDB table items read by a table scan, one call per item.</summary>
/// <remarks>
/// Values are plain JSON-like objects (strings, numbers, booleans, lists, nested
/// <c>Dictionary&lt;string, object?&gt;</c>), not DynamoDB <c>AttributeValue</c>s. The runtime
/// checkpoints the scan's last evaluated key.
/// </remarks>
public interface IDynamoDBTableItemReader
{
    /// <summary>Parses one item.</summary>
    /// <param name="tableName">The table name.</param>
    /// <param name="segmentNumber">The parallel scan segment the item came from.</param>
    /// <param name="keys">The item's key attributes.</param>
    /// <param name="item">All of the item's attributes.</param>
    /// <returns>The result; its next record type is usually <see langword="null"/>.</returns>
    ParseDocumentResult ParseDynamoDBItem(string tableName, int segmentNumber,
        IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?> item);
}

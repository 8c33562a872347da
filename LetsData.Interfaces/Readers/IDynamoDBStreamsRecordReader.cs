namespace LetsData.Interfaces.Readers;

/// <summary>Parses DynamoDB Streams records, one call per record.</summary>
/// <remarks>
/// Driven by the reader type <c>"DynamoDB Streams Record Reader"</c> with the <c>DynamoDBStreams</c> read connector
/// (<c>tableName</c> or <c>streamArn</c>; class <c>dynamoDBStreamsRecordReaderClassName</c>): one task per stream
/// shard, a child shard's task only after its parent's completed, each shard read in order from its oldest record
/// (or from the tip with <c>"Latest"</c>). Keys and images are plain JSON-like values (strings, <c>long</c>/<c>decimal</c>/
/// <c>double</c> numbers, <c>bool</c>, <c>null</c>, <c>byte[]</c>, lists, dictionaries), not DynamoDB
/// <c>AttributeValue</c>s. The runtime checkpoints the last record's sequence number and resumes after it, so a record
/// may be read again after a crash (at least once), never skipped.
/// </remarks>
public interface IDynamoDBStreamsRecordReader
{
    /// <summary>Parses one stream record.</summary>
    /// <param name="streamArn">The stream's ARN.</param>
    /// <param name="shardId">The shard the record came from.</param>
    /// <param name="eventId">The event id.</param>
    /// <param name="eventName"><c>INSERT</c>, <c>MODIFY</c> or <c>REMOVE</c>.</param>
    /// <param name="identityPrincipalId">The principal that made the change (e.g. TTL deletes), or <see langword="null"/>.</param>
    /// <param name="identityType">The type of that identity, or <see langword="null"/>.</param>
    /// <param name="sequenceNumber">The record's sequence number.</param>
    /// <param name="sizeBytes">The record's size in bytes, or <see langword="null"/>.</param>
    /// <param name="streamViewType"><c>NEW_IMAGE</c>, <c>OLD_IMAGE</c>, <c>NEW_AND_OLD_IMAGES</c> or <c>KEYS_ONLY</c>.</param>
    /// <param name="approximateCreationDateTime">When the change was made (approximately).</param>
    /// <param name="keys">The item's key attributes.</param>
    /// <param name="oldImage">The item before the change, or <see langword="null"/> when not in the stream view.</param>
    /// <param name="newImage">The item after the change, or <see langword="null"/> when not in the stream view.</param>
    /// <returns>The result; its next record type is usually <see langword="null"/>.</returns>
    ParseDocumentResult ParseRecord(string streamArn, string shardId, string eventId, string eventName,
        string? identityPrincipalId, string? identityType, string sequenceNumber, long? sizeBytes,
        string streamViewType, DateTimeOffset approximateCreationDateTime,
        IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?>? oldImage,
        IReadOnlyDictionary<string, object?>? newImage);
}

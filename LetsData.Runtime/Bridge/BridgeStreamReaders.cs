using System.Text;
using System.Text.Json;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// The contract's Kinesis record reader, answered by a project's <c>KinesisRecordReader.parseMessage</c> (spec §3.2:
/// the record's data as a string, the arrival time in epoch milliseconds). One call per record; an exception in the
/// user's code becomes an error document naming the function, file and line, keyed by the sequence number.
/// </summary>
internal sealed class BridgeKinesisRecordReader(IBridgeChannel pool) : IKinesisRecordReader
{
    public static readonly BridgeInterface Contract = new("KinesisRecordReader", "kinesis");

    public ParseDocumentResult ParseMessage(string streamArn, string shardId, string partitionKey, string sequenceNumber,
        DateTimeOffset approximateArrivalTimestamp, ReadOnlySpan<byte> data)
    {
        var text = Encoding.UTF8.GetString(data);
        var result = pool.Call(Contract, "parseMessage", w =>
        {
            w.WriteString("streamArn", streamArn);
            w.WriteString("shardId", shardId);
            w.WriteString("partitionKey", partitionKey);
            w.WriteString("sequenceNumber", sequenceNumber);
            w.WriteNumber("approximateArrivalTimestamp", approximateArrivalTimestamp.ToUnixTimeMilliseconds());
            w.WriteString("data", text);
        });
        return BridgeResults.Read(result, pool.FileOf(Contract), $"{Contract.Name}.parseMessage", "sequenceNumber", sequenceNumber);
    }
}

/// <summary>
/// The contract's DynamoDB table item reader, answered by a project's <c>DynamoDBTableItemReader.parseDynamoDBItem</c>
/// (spec §3.2: <c>tableName</c>, <c>segmentNumber</c>, <c>data: {keys, item}</c> as plain JSON).
/// </summary>
internal sealed class BridgeDynamoDBTableItemReader(IBridgeChannel pool) : IDynamoDBTableItemReader
{
    public static readonly BridgeInterface Contract = new("DynamoDBTableItemReader", "dynamodb");

    public ParseDocumentResult ParseDynamoDBItem(string tableName, int segmentNumber, IReadOnlyDictionary<string, object?> keys,
        IReadOnlyDictionary<string, object?> item)
    {
        var result = pool.Call(Contract, "parseDynamoDBItem", w =>
        {
            w.WriteString("tableName", tableName);
            w.WriteNumber("segmentNumber", segmentNumber);
            w.WritePropertyName("data");
            w.WriteStartObject();
            w.WritePropertyName("keys");
            JsonSerializer.Serialize(w, keys);
            w.WritePropertyName("item");
            JsonSerializer.Serialize(w, item);
            w.WriteEndObject();
        });
        return BridgeResults.Read(result, pool.FileOf(Contract), $"{Contract.Name}.parseDynamoDBItem", "keys", JsonSerializer.Serialize(keys));
    }
}

/// <summary>A per-record result of a non-file reader: the document, or an error document for an exception.</summary>
internal static class BridgeResults
{
    /// <param name="result">The call's result.</param>
    /// <param name="file">The interface's file (named when the host could not tell where the error came from).</param>
    /// <param name="function">Interface and function, for the message.</param>
    /// <param name="positionKey">The key of the error document's offset maps (LetsData's examples: sequenceNumber, keys).</param>
    /// <param name="position">Where the record is.</param>
    public static ParseDocumentResult Read(JsonElement result, string file, string function, string positionKey, string position)
    {
        if (BridgeCallFailure.IsFailure(result, function, file, out var failure))
        {
            var at = new Dictionary<string, string> { [positionKey] = position };
            return new ParseDocumentResult(null, new Interfaces.Documents.ErrorDoc(at, at, failure!.Message), ParseDocumentResultStatus.Error);
        }

        return BridgeDocuments.Result(result.GetProperty("data"));
    }
}

using System.Text.Json;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// The contract's queue message reader, answered by a project's <c>QueueMessageReader.parseMessage</c> (spec §3.2:
/// <c>messageId</c>, <c>messageAttributes</c>, <c>messageBody</c>, and <c>messageGroupId</c> /
/// <c>messageDeduplicationId</c> only when the message has them: LetsData's service accepts 3 to 5 keys and a present
/// one must be a string). An exception becomes an error document at <c>{"messageId": …}</c>.
/// </summary>
internal sealed class BridgeQueueMessageReader(IBridgeChannel pool) : IQueueMessageReader
{
    public static readonly BridgeInterface Contract = new("QueueMessageReader", "sqs");

    public ParseDocumentResult ParseMessage(string messageId, string? messageGroupId, string? messageDeduplicationId,
        IReadOnlyDictionary<string, string> messageAttributes, string messageBody)
    {
        var result = pool.Call(Contract, "parseMessage", w =>
        {
            w.WriteString("messageId", messageId);
            if (messageGroupId is not null)
            {
                w.WriteString("messageGroupId", messageGroupId);
            }

            if (messageDeduplicationId is not null)
            {
                w.WriteString("messageDeduplicationId", messageDeduplicationId);
            }

            w.WriteStartObject("messageAttributes");
            foreach (var (name, value) in messageAttributes)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            w.WriteString("messageBody", messageBody);
        });
        return BridgeResults.Read(result, pool.FileOf(Contract), $"{Contract.Name}.parseMessage", "messageId", messageId);
    }
}

/// <summary>
/// The contract's DynamoDB Streams record reader, answered by a project's <c>DynamoDBStreamsRecordReader.parseRecord</c>
/// (spec §3.2: eleven keys, <c>identityPrincipalId</c> / <c>identityType</c> null when the record has none,
/// <c>sizeBytes</c> an integer, <c>approximateCreationDateTime</c> in epoch seconds, <c>data: {keys, oldImage, newImage}</c>
/// as plain JSON). LetsData's service requires both images to be objects, so an image the stream view leaves out goes
/// as <c>{}</c>. An exception becomes an error document at <c>{"sequenceNumber": …}</c>.
/// </summary>
internal sealed class BridgeDynamoDBStreamsRecordReader(IBridgeChannel pool) : IDynamoDBStreamsRecordReader
{
    public static readonly BridgeInterface Contract = new("DynamoDBStreamsRecordReader", "dynamodbstreams");

    public ParseDocumentResult ParseRecord(string streamArn, string shardId, string eventId, string eventName, string? identityPrincipalId,
        string? identityType, string sequenceNumber, long? sizeBytes, string streamViewType, DateTimeOffset approximateCreationDateTime,
        IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?>? oldImage, IReadOnlyDictionary<string, object?>? newImage)
    {
        var result = pool.Call(Contract, "parseRecord", w =>
        {
            w.WriteString("streamArn", streamArn);
            w.WriteString("shardId", shardId);
            w.WriteString("eventId", eventId);
            w.WriteString("eventName", eventName);
            w.WriteString("identityPrincipalId", identityPrincipalId);
            w.WriteString("identityType", identityType);
            w.WriteString("sequenceNumber", sequenceNumber);
            w.WriteNumber("sizeBytes", sizeBytes ?? 0);
            w.WriteString("streamViewType", streamViewType);
            w.WriteNumber("approximateCreationDateTime", approximateCreationDateTime.ToUnixTimeSeconds());
            w.WriteStartObject("data");
            w.WritePropertyName("keys");
            JsonSerializer.Serialize(w, keys);
            w.WritePropertyName("oldImage");
            JsonSerializer.Serialize(w, oldImage ?? EmptyImage);
            w.WritePropertyName("newImage");
            JsonSerializer.Serialize(w, newImage ?? EmptyImage);
            w.WriteEndObject();
        });
        return BridgeResults.Read(result, pool.FileOf(Contract), $"{Contract.Name}.parseRecord", "sequenceNumber", sequenceNumber);
    }

    private static readonly IReadOnlyDictionary<string, object?> EmptyImage = new Dictionary<string, object?>();
}

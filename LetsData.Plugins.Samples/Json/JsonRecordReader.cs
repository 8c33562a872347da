using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.Plugins.Samples.Json;

/// <summary>
/// Reads documents that an upstream dataset wrote to a Kinesis stream, a DynamoDB table (scanned, or through its
/// stream) or an SQS queue back into documents, so datasets chain (S3 → Kinesis → DynamoDB → S3, files → SQS → files)
/// without user code: the Kinesis, DynamoDB-table, DynamoDB-Streams and SQS readers of LetsData's examples.
/// </summary>
/// <remarks>
/// <para>
/// Kinesis: the payload is a JSON object, gzip-compressed or not (the Kinesis write connector's
/// <c>compressRecords</c>). DynamoDB: the item's attributes. SQS: the message body, a JSON object. Either way
/// <c>documentId</c>, <c>recordType</c> and <c>partitionKey</c> are taken from the fields of those names when present;
/// otherwise the id is the record's sequence number (Kinesis), the item's key values joined by <c>|</c> (DynamoDB, as in
/// LetsData's example) or the message id (SQS), and the partition key is the record's partition key, the message group
/// id (FIFO) or the id. Every other field is kept as it is.
/// </para>
/// <para>
/// DynamoDB Streams: a record's NewImage is read like a scanned item (the DynamoDB write connector made it from the
/// document's fields), so an INSERT or MODIFY gives the document back; a REMOVE, or a stream without new images
/// (KEYS_ONLY, OLD_IMAGE), gives a skip that says why.
/// </para>
/// <para>Blank input, bad JSON, gzip that does not inflate, or JSON that is not an object give an <see cref="ErrorDoc"/>.</para>
/// </remarks>
[Stateless]
public sealed class JsonRecordReader : IKinesisRecordReader, IDynamoDBTableItemReader, IDynamoDBStreamsRecordReader, IQueueMessageReader
{
    /// <summary>The record type of documents that carry none of their own.</summary>
    public const string DefaultRecordType = "JsonRecord";

    private const string SequenceNumberKey = "sequenceNumber";
    private const int MaxInflatedBytes = 16 << 20;
    private static ReadOnlySpan<byte> GzipMagic => [0x1f, 0x8b];

    /// <inheritdoc/>
    public ParseDocumentResult ParseMessage(string streamArn, string shardId, string partitionKey, string sequenceNumber,
        DateTimeOffset approximateArrivalTimestamp, ReadOnlySpan<byte> data)
    {
        var position = new Dictionary<string, string> { [SequenceNumberKey] = sequenceNumber };
        if (data.IsEmpty)
        {
            return Error(position, $"record {sequenceNumber} of {shardId} is empty", sequenceNumber);
        }

        Dictionary<string, object?> fields;
        byte[]? inflated = null;
        try
        {
            var json = data;
            if (data.StartsWith(GzipMagic))
            {
                var length = Inflate(data, out inflated);
                json = inflated.AsSpan(0, length);
            }

            fields = PlainJson.ReadObject(json);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or InvalidOperationException)
        {
            return Error(position, $"record {sequenceNumber} of {shardId} is not a JSON object: {e.Message}", sequenceNumber);
        }
        finally
        {
            if (inflated is not null)
            {
                ArrayPool<byte>.Shared.Return(inflated);
            }
        }

        return Success(fields, sequenceNumber, partitionKey);
    }

    /// <inheritdoc/>
    public ParseDocumentResult ParseDynamoDBItem(string tableName, int segmentNumber,
        IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?> item)
    {
        var keyText = KeyText(keys);
        if (item.Count == 0)
        {
            return Error(new Dictionary<string, string> { ["keys"] = keyText }, $"item {keyText} of {tableName} has no attributes", keyText);
        }

        return Success(new Dictionary<string, object?>(item), keyText, fallbackPartitionKey: null);
    }

    /// <inheritdoc/>
    public ParseDocumentResult ParseRecord(string streamArn, string shardId, string eventId, string eventName,
        string? identityPrincipalId, string? identityType, string sequenceNumber, long? sizeBytes,
        string streamViewType, DateTimeOffset approximateCreationDateTime,
        IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?>? oldImage,
        IReadOnlyDictionary<string, object?>? newImage)
    {
        var keyText = KeyText(keys);
        if (newImage is null || eventName == "REMOVE")
        {
            var position = new Dictionary<string, string> { [SequenceNumberKey] = sequenceNumber };
            var why = eventName == "REMOVE"
                ? $"{eventName} of item {keyText}: a removed item has no document"
                : $"{eventName} of item {keyText} has no new image (stream view {streamViewType}): nothing to read a document from";
            return ParseDocumentResult.Skip(new SkipDoc(position, position, why, keyText, DefaultRecordType));
        }

        if (newImage.Count == 0)
        {
            return Error(new Dictionary<string, string> { [SequenceNumberKey] = sequenceNumber }, $"the new image of item {keyText} has no attributes", keyText);
        }

        return Success(new Dictionary<string, object?>(newImage), keyText, fallbackPartitionKey: null);
    }

    private static string KeyText(IReadOnlyDictionary<string, object?> keys) =>
        string.Join('|', keys.Values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));

    /// <inheritdoc/>
    public ParseDocumentResult ParseMessage(string messageId, string? messageGroupId, string? messageDeduplicationId,
        IReadOnlyDictionary<string, string> messageAttributes, string messageBody)
    {
        var position = new Dictionary<string, string> { ["messageId"] = messageId };
        if (string.IsNullOrWhiteSpace(messageBody))
        {
            return Error(position, $"message {messageId} has an empty body", messageId);
        }

        Dictionary<string, object?> fields;
        try
        {
            fields = PlainJson.ReadObject(Encoding.UTF8.GetBytes(messageBody));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return Error(position, $"message {messageId} is not a JSON object: {e.Message}", messageId);
        }

        return Success(fields, messageId, messageGroupId);
    }

    private static ParseDocumentResult Success(Dictionary<string, object?> fields, string fallbackId, string? fallbackPartitionKey)
    {
        var documentId = Take(fields, "documentId") ?? fallbackId;
        var recordType = Take(fields, "recordType") ?? DefaultRecordType;
        var partitionKey = Take(fields, "partitionKey") ?? fallbackPartitionKey ?? documentId;
        var metadata = fields.Remove("documentMetadata", out var m) ? m as IReadOnlyDictionary<string, object?> : null;
        return ParseDocumentResult.Success(new Document(documentId, recordType, partitionKey, fields, metadata));
    }

    /// <summary>Removes a field that the document carries as a property (it would otherwise be written twice).</summary>
    private static string? Take(Dictionary<string, object?> fields, string name) =>
        fields.Remove(name, out var value) ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private static ParseDocumentResult Error(Dictionary<string, string> position, string message, string id) =>
        new(null, new ErrorDoc(position, position, message, id, DefaultRecordType), ParseDocumentResultStatus.Error);

    /// <summary>
    /// Inflates a gzip payload into a pooled buffer (returned by the caller), so that a record costs no buffers of its
    /// own beyond the decompressor; returns the inflated length.
    /// </summary>
    private static int Inflate(ReadOnlySpan<byte> gzip, out byte[] output)
    {
        var input = ArrayPool<byte>.Shared.Rent(gzip.Length);
        output = ArrayPool<byte>.Shared.Rent(Math.Max(4096, gzip.Length * 4));
        try
        {
            gzip.CopyTo(input);
            using var inflater = new GZipStream(new MemoryStream(input, 0, gzip.Length, writable: false), CompressionMode.Decompress);
            var length = 0;
            int read;
            while ((read = inflater.Read(output, length, output.Length - length)) > 0)
            {
                length += read;
                if (length == output.Length)
                {
                    if (length >= MaxInflatedBytes)
                    {
                        throw new InvalidDataException($"the gzip payload inflates to more than {MaxInflatedBytes} bytes");
                    }

                    var grown = ArrayPool<byte>.Shared.Rent(Math.Min(MaxInflatedBytes, length * 2));
                    output.AsSpan(0, length).CopyTo(grown);
                    ArrayPool<byte>.Shared.Return(output);
                    output = grown;
                }
            }

            return length;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(output);
            output = null!;
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }
}

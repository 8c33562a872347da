using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.Http;
using LetsData.Runtime.Reading.DynamoDBStreams;

namespace LetsData.Runtime.Aws.DynamoDBStreams;

/// <summary>
/// A small DynamoDB Streams client: AWSSDK.DynamoDBv2 4.x has none, so this speaks the AWS JSON 1.0 protocol
/// (target <c>DynamoDBStreams_20120810</c>, signed for the service <c>dynamodb</c>) over the transport our Kinesis
/// client uses, with its retries. Safe to share between tasks.
/// </summary>
public sealed class DynamoDBStreamsClient : IDisposable
{
    /// <summary>The endpoint variable of DynamoDB Streams (after it, <c>AWS_ENDPOINT_URL</c>).</summary>
    public const string EndpointVariable = "AWS_ENDPOINT_URL_DYNAMODB_STREAMS";

    private static readonly AwsJsonProtocol Protocol = new("DynamoDB Streams", "dynamodb", "DynamoDBStreams_20120810.",
        "application/x-amz-json-1.0", EndpointVariable, "streams.dynamodb", IsRetryable,
        (code, status, message, inner) => new DynamoDBStreamsException(code, status, message, inner));

    private readonly AwsJsonTransport _transport;

    /// <summary>Creates a client over <paramref name="innerHandler"/> (the transport, or a fake in tests).</summary>
    /// <param name="innerHandler">Sends the signed requests; disposed with the client.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="region">The region to sign for.</param>
    /// <param name="endpoint">The service endpoint, e.g. <c>https://streams.dynamodb.us-east-1.amazonaws.com/</c>.</param>
    /// <param name="retryPolicy">Retries of failed calls; null: 8 attempts, 100 ms doubling up to 5 s, 30 s in all.</param>
    public DynamoDBStreamsClient(HttpMessageHandler innerHandler, AWSCredentials credentials, RegionEndpoint region, Uri endpoint,
        AwsRetryPolicy? retryPolicy = null)
    {
        _transport = new AwsJsonTransport(Protocol, innerHandler, credentials, region, endpoint, retryPolicy, null);
    }

    private DynamoDBStreamsClient(AwsJsonTransport transport) => _transport = transport;

    /// <summary>Where requests go.</summary>
    public Uri Endpoint => _transport.Endpoint;

    /// <summary>
    /// A client from the standard AWS configuration; the endpoint from <c>AWS_ENDPOINT_URL_DYNAMODB_STREAMS</c>, else
    /// <c>AWS_ENDPOINT_URL</c>, else <c>https://streams.dynamodb.REGION.amazonaws.com</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No region is configured, or an endpoint variable is not a URL.</exception>
    public static DynamoDBStreamsClient Create(AwsJsonClientOptions? options = null) =>
        new(AwsJsonTransport.Create(Protocol, options));

    /// <summary>The endpoint <see cref="Create"/> uses in <paramref name="region"/> with the current environment.</summary>
    public static Uri ResolveEndpoint(RegionEndpoint region) => AwsJsonTransport.Resolve(Protocol, region);

    /// <summary>Throttling and the service's own failures are worth trying again; a bad request or an expired iterator is not.</summary>
    public static bool IsRetryable(string errorCode, int statusCode) =>
        statusCode >= 500 || errorCode is "LimitExceededException" or "ThrottlingException" or "ProvisionedThroughputExceededException"
            or "RequestLimitExceeded" or "InternalServerError" or "ServiceUnavailable";

    /// <summary>The dataset problem reported when the client cannot be made (no region, a bad endpoint variable).</summary>
    public static string SetupProblem(string field, Exception e) =>
        $"{field} (DynamoDBStreams): the DynamoDB Streams client could not be set up: {e.Message} (set AWS_REGION or a region in the AWS profile; {EndpointVariable} for a compatible endpoint)";

    /// <summary>The stream and every shard it has (open and closed), following DescribeStream's pages.</summary>
    public async Task<DynamoDBStreamDescription> DescribeStreamAsync(string streamArn, CancellationToken cancellationToken = default)
    {
        var shards = new List<DynamoDBStreamShard>();
        string? after = null;
        while (true)
        {
            var exclusiveStart = after;
            using var body = AwsJsonTransport.WriteBody(w =>
            {
                w.WriteString("StreamArn", streamArn);
                w.WriteNumber("Limit", 100);
                if (exclusiveStart is not null)
                {
                    w.WriteString("ExclusiveStartShardId", exclusiveStart);
                }
            });
            using var response = await _transport.SendAsync("DescribeStream", body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(response.WrittenMemory);
            var description = json.RootElement.GetProperty("StreamDescription");
            foreach (var shard in description.GetProperty("Shards").EnumerateArray())
            {
                var range = shard.TryGetProperty("SequenceNumberRange", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
                shards.Add(new DynamoDBStreamShard(shard.GetProperty("ShardId").GetString()!,
                    AwsJsonTransport.OptionalString(shard, "ParentShardId"),
                    range.ValueKind == JsonValueKind.Object ? AwsJsonTransport.OptionalString(range, "StartingSequenceNumber") : null,
                    range.ValueKind == JsonValueKind.Object ? AwsJsonTransport.OptionalString(range, "EndingSequenceNumber") : null));
            }

            after = AwsJsonTransport.OptionalString(description, "LastEvaluatedShardId");
            if (after is null)
            {
                return new DynamoDBStreamDescription(description.GetProperty("StreamArn").GetString()!,
                    AwsJsonTransport.OptionalString(description, "StreamStatus") ?? "",
                    AwsJsonTransport.OptionalString(description, "StreamViewType"),
                    AwsJsonTransport.OptionalString(description, "TableName"), shards);
            }
        }
    }

    /// <summary>A shard iterator; <paramref name="sequenceNumber"/> is required for <see cref="DynamoDBStreamIteratorType.AfterSequenceNumber"/>.</summary>
    public async Task<string> GetShardIteratorAsync(string streamArn, string shardId, DynamoDBStreamIteratorType type,
        string? sequenceNumber = null, CancellationToken cancellationToken = default)
    {
        if (type == DynamoDBStreamIteratorType.AfterSequenceNumber && sequenceNumber is null)
        {
            throw new ArgumentNullException(nameof(sequenceNumber), "AFTER_SEQUENCE_NUMBER needs a sequence number");
        }

        using var body = AwsJsonTransport.WriteBody(w =>
        {
            w.WriteString("StreamArn", streamArn);
            w.WriteString("ShardId", shardId);
            w.WriteString("ShardIteratorType", type switch
            {
                DynamoDBStreamIteratorType.TrimHorizon => "TRIM_HORIZON",
                DynamoDBStreamIteratorType.Latest => "LATEST",
                _ => "AFTER_SEQUENCE_NUMBER",
            });
            if (type == DynamoDBStreamIteratorType.AfterSequenceNumber)
            {
                w.WriteString("SequenceNumber", sequenceNumber);
            }
        });
        using var response = await _transport.SendAsync("GetShardIterator", body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(response.WrittenMemory);
        return json.RootElement.GetProperty("ShardIterator").GetString()!;
    }

    /// <summary>One GetRecords call: appends up to <paramref name="limit"/> (1 to 1000) records to <paramref name="records"/>.</summary>
    public async Task<DynamoDBStreamRecordsPage> GetRecordsAsync(string shardIterator, int limit, List<DynamoDBStreamRecord> records,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 1000);
        using var body = AwsJsonTransport.WriteBody(w =>
        {
            w.WriteString("ShardIterator", shardIterator);
            w.WriteNumber("Limit", limit);
        });
        using var response = await _transport.SendAsync("GetRecords", body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(response.WrittenMemory);
        var count = 0;
        if (json.RootElement.TryGetProperty("Records", out var list))
        {
            foreach (var record in list.EnumerateArray())
            {
                records.Add(ParseRecord(record));
                count++;
            }
        }

        return new DynamoDBStreamRecordsPage(AwsJsonTransport.OptionalString(json.RootElement, "NextShardIterator"), count);
    }

    /// <summary>Disposes the HTTP client and its handlers.</summary>
    public void Dispose() => _transport.Dispose();

    private static DynamoDBStreamRecord ParseRecord(JsonElement record)
    {
        var change = record.GetProperty("dynamodb");
        var identity = record.TryGetProperty("userIdentity", out var u) && u.ValueKind == JsonValueKind.Object ? u : default;
        var created = change.TryGetProperty("ApproximateCreationDateTime", out var at) && at.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(at.GetDouble() * 1000))
            : DateTimeOffset.UnixEpoch;
        return new DynamoDBStreamRecord(
            AwsJsonTransport.OptionalString(record, "eventID") ?? "",
            AwsJsonTransport.OptionalString(record, "eventName") ?? "",
            identity.ValueKind == JsonValueKind.Object ? AwsJsonTransport.OptionalString(identity, "PrincipalId") : null,
            identity.ValueKind == JsonValueKind.Object ? AwsJsonTransport.OptionalString(identity, "Type") : null,
            change.GetProperty("SequenceNumber").GetString()!,
            change.TryGetProperty("SizeBytes", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null,
            AwsJsonTransport.OptionalString(change, "StreamViewType") ?? "",
            created,
            change.TryGetProperty("Keys", out var keys) ? WireAttributeValues.ToPlainItem(keys) : new Dictionary<string, object?>(),
            change.TryGetProperty("OldImage", out var oldImage) ? WireAttributeValues.ToPlainItem(oldImage) : null,
            change.TryGetProperty("NewImage", out var newImage) ? WireAttributeValues.ToPlainItem(newImage) : null);
    }
}

using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.Http;
using LetsData.Runtime.Reading.Kinesis;

namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>
/// A small typed Kinesis client: the JSON 1.1 protocol over <see cref="AwsJsonTransport"/> (SigV4 by AWSSDK.Core;
/// there is no AWSSDK.Kinesis package to use). Safe to share
/// between tasks. Failed calls are retried per the <see cref="KinesisRetryPolicy"/>; what is not retried, or fails
/// past the budget, surfaces as a <see cref="KinesisException"/>.
/// </summary>
public sealed class KinesisClient : IDisposable
{
    private static readonly AwsJsonProtocol Protocol = new("Kinesis", "kinesis", "Kinesis_20131202.", "application/x-amz-json-1.1",
        KinesisEndpoints.ServiceVariable, "kinesis", KinesisRetryPolicy.IsRetryable,
        (code, status, message, inner) => new KinesisException(code, status, message, inner));

    private readonly AwsJsonTransport _transport;

    /// <summary>Creates a client over <paramref name="innerHandler"/> (the transport, or a fake in tests).</summary>
    /// <param name="innerHandler">Sends the signed requests; disposed with the client.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="region">The region to sign for.</param>
    /// <param name="endpoint">The service endpoint, e.g. <c>https://kinesis.us-east-1.amazonaws.com/</c>.</param>
    /// <param name="retryPolicy">Retries of failed calls; null uses <see cref="KinesisRetryPolicy.Default"/>.</param>
    /// <param name="requestTimeout">How long one HTTP attempt may take; null means 30 seconds.</param>
    public KinesisClient(
        HttpMessageHandler innerHandler, AWSCredentials credentials, RegionEndpoint region, Uri endpoint,
        AwsRetryPolicy? retryPolicy = null, TimeSpan? requestTimeout = null)
        : this(new AwsJsonTransport(Protocol, innerHandler, credentials, region, endpoint, retryPolicy ?? KinesisRetryPolicy.Default, requestTimeout))
    {
    }

    private KinesisClient(AwsJsonTransport transport) => _transport = transport;

    /// <summary>The retry budget of this client's calls; the Kinesis sink uses it for record-level retries too.</summary>
    public AwsRetryPolicy RetryPolicy => _transport.RetryPolicy;

    /// <summary>Where requests go.</summary>
    public Uri Endpoint => _transport.Endpoint;

    /// <summary>The dataset problem reported when a connector's client cannot be made (no region, a bad endpoint variable).</summary>
    public static string SetupProblem(string field, Exception e) =>
        $"{field} (Kinesis): the Kinesis client could not be set up: {e.Message} (set AWS_REGION or a region in the AWS profile; AWS_ENDPOINT_URL_KINESIS for a Kinesis-compatible endpoint)";

    /// <summary>
    /// Creates a client from the standard AWS configuration: credentials by the SDK's default chain, region by its
    /// region chain (<c>AWS_REGION</c> …), endpoint from <c>AWS_ENDPOINT_URL_KINESIS</c>, else <c>AWS_ENDPOINT_URL</c>,
    /// else the regional AWS endpoint. <paramref name="options"/> overrides any of them.
    /// </summary>
    /// <exception cref="InvalidOperationException">No region is configured, or an endpoint variable is not a URL.</exception>
    public static KinesisClient Create(AwsJsonClientOptions? options = null) =>
        new(AwsJsonTransport.Create(Protocol, options));

    /// <summary>Creates a stream with <paramref name="shardCount"/> shards and waits until it is ACTIVE.</summary>
    public async Task CreateStreamAsync(string streamName, int shardCount, CancellationToken cancellationToken = default)
    {
        using var body = AwsJsonTransport.WriteBody(w =>
        {
            w.WriteString("StreamName", streamName);
            w.WriteNumber("ShardCount", shardCount);
        });
        (await SendAsync("CreateStream", body.WrittenMemory, cancellationToken).ConfigureAwait(false)).Dispose();
        await WaitForActiveAsync(streamName, TimeSpan.FromMinutes(5), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Polls DescribeStreamSummary until the stream is ACTIVE.</summary>
    /// <exception cref="TimeoutException">It was not ACTIVE within <paramref name="timeout"/>.</exception>
    public async Task<KinesisStreamSummary> WaitForActiveAsync(string streamName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var summary = await DescribeStreamSummaryAsync(streamName, cancellationToken).ConfigureAwait(false);
            if (summary.StreamStatus == "ACTIVE")
            {
                return summary;
            }

            if (DateTime.UtcNow + pause > deadline)
            {
                throw new TimeoutException($"Kinesis stream '{streamName}' is still {summary.StreamStatus} after {timeout}");
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
        }
    }

    /// <summary>Deletes a stream (tests and benchmarks clean up with it).</summary>
    public async Task DeleteStreamAsync(string streamName, CancellationToken cancellationToken = default)
    {
        using var body = AwsJsonTransport.WriteBody(w => w.WriteString("StreamName", streamName));
        (await SendAsync("DeleteStream", body.WrittenMemory, cancellationToken).ConfigureAwait(false)).Dispose();
    }

    /// <summary>The stream's name, ARN, status and open shard count.</summary>
    public async Task<KinesisStreamSummary> DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken = default)
    {
        using var body = AwsJsonTransport.WriteBody(w => w.WriteString("StreamName", streamName));
        using var response = await SendAsync("DescribeStreamSummary", body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(response.WrittenMemory);
        var summary = json.RootElement.GetProperty("StreamDescriptionSummary");
        return new KinesisStreamSummary(
            summary.GetProperty("StreamName").GetString()!,
            summary.GetProperty("StreamARN").GetString()!,
            summary.GetProperty("StreamStatus").GetString()!,
            summary.TryGetProperty("OpenShardCount", out var open) ? open.GetInt32() : 0);
    }

    /// <summary>Every shard of the stream, open and closed, following ListShards' pagination.</summary>
    public async Task<IReadOnlyList<KinesisShard>> ListShardsAsync(string streamName, CancellationToken cancellationToken = default)
    {
        var shards = new List<KinesisShard>();
        string? nextToken = null;
        do
        {
            var token = nextToken;

            // With a NextToken the API refuses StreamName: the token already names the stream.
            using var body = AwsJsonTransport.WriteBody(w =>
            {
                if (token is null)
                {
                    w.WriteString("StreamName", streamName);
                }
                else
                {
                    w.WriteString("NextToken", token);
                }
            });
            using var response = await SendAsync("ListShards", body.WrittenMemory, cancellationToken).ConfigureAwait(false);
            using var json = JsonDocument.Parse(response.WrittenMemory);
            foreach (var shard in json.RootElement.GetProperty("Shards").EnumerateArray())
            {
                var range = shard.TryGetProperty("SequenceNumberRange", out var r) ? r : default;
                shards.Add(new KinesisShard(
                    shard.GetProperty("ShardId").GetString()!,
                    AwsJsonTransport.OptionalString(shard, "ParentShardId"),
                    AwsJsonTransport.OptionalString(shard, "AdjacentParentShardId"),
                    range.ValueKind == JsonValueKind.Object ? AwsJsonTransport.OptionalString(range, "StartingSequenceNumber") : null,
                    range.ValueKind == JsonValueKind.Object ? AwsJsonTransport.OptionalString(range, "EndingSequenceNumber") : null));
            }

            nextToken = AwsJsonTransport.OptionalString(json.RootElement, "NextToken");
        }
        while (nextToken is not null);

        return shards;
    }

    /// <summary>A shard iterator; <paramref name="sequenceNumber"/> is required for the two sequence-number types.</summary>
    public async Task<string> GetShardIteratorAsync(
        string streamName, string shardId, KinesisShardIteratorType type, string? sequenceNumber = null, CancellationToken cancellationToken = default)
    {
        var typeName = type switch
        {
            KinesisShardIteratorType.TrimHorizon => "TRIM_HORIZON",
            KinesisShardIteratorType.Latest => "LATEST",
            KinesisShardIteratorType.AtSequenceNumber => "AT_SEQUENCE_NUMBER",
            KinesisShardIteratorType.AfterSequenceNumber => "AFTER_SEQUENCE_NUMBER",
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
        if (type is KinesisShardIteratorType.AtSequenceNumber or KinesisShardIteratorType.AfterSequenceNumber && sequenceNumber is null)
        {
            throw new ArgumentNullException(nameof(sequenceNumber), $"{typeName} needs a sequence number");
        }

        using var body = AwsJsonTransport.WriteBody(w =>
        {
            w.WriteString("StreamName", streamName);
            w.WriteString("ShardId", shardId);
            w.WriteString("ShardIteratorType", typeName);
            if (sequenceNumber is not null && type is KinesisShardIteratorType.AtSequenceNumber or KinesisShardIteratorType.AfterSequenceNumber)
            {
                w.WriteString("StartingSequenceNumber", sequenceNumber);
            }
        });
        using var response = await SendAsync("GetShardIterator", body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        using var json = JsonDocument.Parse(response.WrittenMemory);
        return json.RootElement.GetProperty("ShardIterator").GetString()!;
    }

    /// <summary>
    /// One GetRecords call: appends up to <paramref name="limit"/> records to <paramref name="records"/> (their data in
    /// one array per page, owned by the records) and returns the next iterator and how far behind the tip the page is.
    /// </summary>
    public async Task<KinesisRecordsPage> GetRecordsAsync(
        string shardIterator, int limit, List<KinesisRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 10_000);
        using var body = AwsJsonTransport.WriteBody(w =>
        {
            w.WriteString("ShardIterator", shardIterator);
            w.WriteNumber("Limit", limit);
        });
        using var response = await SendAsync("GetRecords", body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        return KinesisResponseParser.ParseGetRecords(response.WrittenSpan, records);
    }

    /// <summary>
    /// Sends the records of <paramref name="batch"/> (or only those at <paramref name="indices"/>, in that order) in
    /// one PutRecords request. Record-level failures are reported in the result, not thrown; the result's records are
    /// in request order. Shard ids and sequence numbers are read only when <paramref name="includeSequenceNumbers"/>.
    /// </summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="batch">The records.</param>
    /// <param name="indices">The records of the batch to send; null sends them all.</param>
    /// <param name="includeSequenceNumbers">Whether to read each stored record's shard id and sequence number.</param>
    /// <param name="cancellationToken">Cancels the call and its retries.</param>
    public async Task<KinesisPutRecordsResult> PutRecordsAsync(
        string streamName, KinesisPutRecordsBatch batch, IReadOnlyList<int>? indices = null, bool includeSequenceNumbers = false,
        CancellationToken cancellationToken = default)
    {
        var count = indices?.Count ?? batch.Count;
        if (count == 0)
        {
            return new KinesisPutRecordsResult(0, []);
        }

        using var body = new PooledByteBuffer((int)Math.Min(int.MaxValue, (batch.PayloadBytes * 4 / 3) + (count * 64) + 256));
        KinesisRequestWriter.WritePutRecords(body, streamName, batch, indices);
        using var response = await SendAsync("PutRecords", body.WrittenMemory, cancellationToken).ConfigureAwait(false);
        return KinesisResponseParser.ParsePutRecords(response.WrittenSpan, count, includeSequenceNumbers);
    }

    /// <summary>Disposes the HTTP client and its handlers.</summary>
    public void Dispose() => _transport.Dispose();

    private Task<PooledByteBuffer> SendAsync(string operation, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        _transport.SendAsync(operation, body, cancellationToken);
}

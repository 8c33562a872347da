using System.Net;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace LetsData.Runtime.Aws.Sqs;

/// <summary>
/// The one way the runtime makes SQS clients, for the queue read and write connectors: credentials from
/// <see cref="Credentials.RuntimeCredentials"/>, the standard region and endpoint chains (AWSSDK 4.1 reads
/// <c>AWS_ENDPOINT_URL_SQS</c> itself), and what the connectors share: finding a queue's URL, telling FIFO queues and
/// retryable failures apart.
/// </summary>
public static class SqsClients
{
    /// <summary>One attempt's time limit: a receive long-polls at most 20 s, everything else answers in milliseconds.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(30);

    /// <summary>What each message (body and attributes) and each batch may hold: 256 KiB, the limit every SQS queue accepts.</summary>
    public const int MaxMessageBytes = 262_144;

    /// <summary>Entries per SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch and messages per receive.</summary>
    public const int MaxBatchEntries = 10;

    private static readonly HashSet<string> RetryableCodes = new(StringComparer.Ordinal)
    {
        "RequestThrottled", "ThrottlingException", "Throttling", "KmsThrottled", "ServiceUnavailable", "InternalError",
        "InternalFailure", "AWS.SimpleQueueService.RequestThrottled",
    };

    /// <param name="credentials">What to sign with; null: the SDK's default chain.</param>
    /// <param name="configure">Adjusts the configuration further (tests).</param>
    public static AmazonSQSClient Create(AWSCredentials? credentials = null, Action<AmazonSQSConfig>? configure = null)
    {
        var config = new AmazonSQSConfig { Timeout = AttemptTimeout };
        configure?.Invoke(config);
        return credentials is null ? new AmazonSQSClient(config) : new AmazonSQSClient(credentials, config);
    }

    /// <summary>The queue's URL: <paramref name="queueUrl"/> when given, else looked up by <paramref name="queueName"/>.</summary>
    public static async Task<string> ResolveUrlAsync(IAmazonSQS client, string? queueName, string? queueUrl, CancellationToken cancellationToken)
    {
        if (queueUrl is not null)
        {
            return queueUrl;
        }

        var response = await client.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = queueName }, cancellationToken).ConfigureAwait(false);
        return response.QueueUrl;
    }

    /// <summary>The queue's name: the last segment of its URL.</summary>
    public static string NameOf(string? queueName, string? queueUrl) =>
        queueName ?? queueUrl!.TrimEnd('/').Split('/')[^1];

    /// <summary>FIFO queues' names end with <c>.fifo</c> (AWS's rule).</summary>
    public static bool IsFifo(string queueName) => queueName.EndsWith(".fifo", StringComparison.Ordinal);

    /// <summary>Throttling, server errors and the connection failing (not our own cancellation): worth another try after a pause.</summary>
    public static bool IsRetryable(Exception e, CancellationToken cancellationToken) => e switch
    {
        AmazonServiceException service => (int)service.StatusCode >= 500 || service.StatusCode == HttpStatusCode.TooManyRequests
            || (service.ErrorCode is { } code && RetryableCodes.Contains(code)),
        _ => e is AmazonClientException or HttpRequestException or IOException or TimeoutException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested),
    };

    /// <summary>A batch entry's error code worth sending again (the entry was not the sender's fault).</summary>
    public static bool IsRetryableEntry(BatchResultErrorEntry entry) =>
        entry.SenderFault != true || RetryableCodes.Contains(entry.Code ?? "");

    /// <summary>Full jitter: a random wait up to the capped exponential bound, so tasks retrying together spread out.</summary>
    public static TimeSpan Backoff(int retry) =>
        TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(5_000, 50 * Math.Pow(2, retry - 1)));

    /// <summary>The dataset problem reported when a connector's client cannot be made (typically: no region configured).</summary>
    public static string SetupProblem(string field, Exception e) =>
        $"{field} (SQS): the SQS client could not be set up: {e.Message} (set AWS_REGION or a region in the AWS profile; AWS_ENDPOINT_URL_SQS for an SQS-compatible endpoint)";
}

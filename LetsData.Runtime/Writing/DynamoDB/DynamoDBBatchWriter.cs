using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.Writing.DynamoDB;

/// <summary>
/// Sends one batch of puts with <c>BatchWriteItem</c> until DynamoDB has taken every item: unprocessed items, throttling
/// and server errors are retried with capped exponential backoff and full jitter within
/// <see cref="DynamoDBWriteOptions.MaxRetries"/>; anything else fails at once.
/// </summary>
internal sealed class DynamoDBBatchWriter(IAmazonDynamoDB client, string tableName, string taskId, DynamoDBWriteOptions options, DynamoDBWriteCounters counters)
{
    private static readonly HashSet<string> RetryableCodes = new(StringComparer.Ordinal)
    {
        "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded", "LimitExceededException",
        "InternalServerError", "InternalServerErrorException", "ServiceUnavailable", "ServiceUnavailableException",
    };

    public async Task WriteAsync(List<WriteRequest> batch, CancellationToken cancellationToken)
    {
        var pending = batch;
        var retriesWithoutProgress = 0;
        while (true)
        {
            var request = new BatchWriteItemRequest { RequestItems = new Dictionary<string, List<WriteRequest>>(1) { [tableName] = pending } };
            BatchWriteItemResponse response;
            counters.AddCall(pending.Count);
            try
            {
                response = await client.BatchWriteItemAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsRetryable(e, cancellationToken) && retriesWithoutProgress < options.MaxRetries)
            {
                retriesWithoutProgress++;
                counters.AddErrorRetry(e is AmazonServiceException { ErrorCode: "ProvisionedThroughputExceededException" or "ThrottlingException"
                    or "RequestLimitExceeded" or "LimitExceededException" });
                await Task.Delay(Backoff(retriesWithoutProgress), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (AmazonServiceException e)
            {
                var attempts = retriesWithoutProgress + 1;
                throw new DynamoDBOperationException(
                    $"DynamoDB table '{tableName}', task '{taskId}': BatchWriteItem failed with {e.ErrorCode} (HTTP {(int)e.StatusCode})"
                    + (IsRetryable(e, cancellationToken) ? $" {attempts} times in a row" : "") + $": {e.Message}",
                    tableName, e.ErrorCode, e);
            }
            catch (Exception e) when (IsRetryable(e, cancellationToken))
            {
                throw new DynamoDBOperationException(
                    $"DynamoDB table '{tableName}', task '{taskId}': BatchWriteItem could not reach DynamoDB {retriesWithoutProgress + 1} times in a row: {e.GetType().Name}: {e.Message}",
                    tableName, null, e);
            }

            var unprocessed = response.UnprocessedItems is { } all && all.TryGetValue(tableName, out var left) && left is { Count: > 0 } ? left : null;
            counters.AddItemsWritten(pending.Count - (unprocessed?.Count ?? 0));
            if (unprocessed is null)
            {
                return;
            }

            retriesWithoutProgress = unprocessed.Count < pending.Count ? 1 : retriesWithoutProgress + 1;
            if (retriesWithoutProgress > options.MaxRetries)
            {
                throw new DynamoDBOperationException(
                    $"DynamoDB table '{tableName}', task '{taskId}': BatchWriteItem left {unprocessed.Count} items unprocessed {retriesWithoutProgress} times in a row (throttled)",
                    tableName, "UnprocessedItems");
            }

            counters.AddUnprocessedRetry();
            await Task.Delay(Backoff(retriesWithoutProgress), cancellationToken).ConfigureAwait(false);
            pending = unprocessed;
        }
    }

    /// <summary>
    /// Throttling, server errors, the connection failing and the client's timeout (the SDK retried those already; a
    /// longer outage gets this connector's budget on top). Not our own cancellation.
    /// </summary>
    private static bool IsRetryable(Exception e, CancellationToken cancellationToken) => e switch
    {
        AmazonServiceException service => (int)service.StatusCode >= 500 || service.StatusCode == HttpStatusCode.TooManyRequests
            || (service.ErrorCode is { } code && RetryableCodes.Contains(code)),
        _ => DynamoDBClients.IsTransportFailure(e, cancellationToken),
    };

    /// <summary>Full jitter: a random wait up to the capped exponential bound, so tasks retrying together spread out.</summary>
    private TimeSpan Backoff(int retry)
    {
        var bound = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, retry - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * bound);
    }
}

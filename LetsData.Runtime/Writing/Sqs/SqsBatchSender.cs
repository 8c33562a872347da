using Amazon.SQS;
using Amazon.SQS.Model;
using LetsData.Runtime.Aws.Sqs;

namespace LetsData.Runtime.Writing.Sqs;

/// <summary>
/// Sends one batch until SQS has stored every message: entries that failed for a reason not the sender's (throttling,
/// a server error) and whole-request throttling or transport failures are sent again after a backoff; an entry SQS
/// refuses as the sender's fault fails the task. Progress (some entries stored) restarts the retry budget.
/// </summary>
internal sealed class SqsBatchSender(IAmazonSQS client, SqsQueueAddress queue, string taskId, SqsWriteStatistics statistics)
{
    /// <summary>Attempts in a row without progress before the task fails.</summary>
    public const int MaxRetries = 8;

    public async Task SendAsync(SqsSendBatch batch, CancellationToken cancellationToken)
    {
        string url;
        try
        {
            url = await queue.UrlAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonSQSException e)
        {
            throw Failure($"its URL could not be found: {e.ErrorCode}: {e.Message}", e);
        }

        List<SendMessageBatchRequestEntry> pending = batch.Entries;
        var retries = 0;
        while (true)
        {
            SendMessageBatchResponse response;
            try
            {
                response = await client.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = url, Entries = pending }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (SqsClients.IsRetryable(e, cancellationToken) && retries < MaxRetries)
            {
                retries++;
                statistics.AddRetry();
                await Task.Delay(SqsClients.Backoff(retries), cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (AmazonSQSException e)
            {
                throw Failure($"SendMessageBatch failed with {e.ErrorCode} (HTTP {(int)e.StatusCode}): {e.Message}", e);
            }
            catch (Exception e) when (SqsClients.IsRetryable(e, cancellationToken))
            {
                throw Failure($"SendMessageBatch could not reach SQS {retries + 1} times in a row: {e.GetType().Name}: {e.Message}", e);
            }

            var failed = response.Failed ?? [];
            statistics.AddCall(pending.Count - failed.Count);
            if (failed.Count == 0)
            {
                return;
            }

            if (failed.FirstOrDefault(f => !SqsClients.IsRetryableEntry(f)) is { } refused)
            {
                throw Failure($"SQS refused a message: {refused.Code}: {refused.Message}", null);
            }

            retries = failed.Count < pending.Count ? 1 : retries + 1;
            if (retries > MaxRetries)
            {
                throw Failure($"{failed.Count} messages still refused after {retries} attempts; last error {failed[0].Code}: {failed[0].Message}", null);
            }

            var failedIds = failed.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
            pending = pending.Where(entry => failedIds.Contains(entry.Id)).ToList();
            statistics.AddResent(pending.Count);
            await Task.Delay(SqsClients.Backoff(retries), cancellationToken).ConfigureAwait(false);
        }
    }

    private SqsWriteException Failure(string detail, Exception? inner) =>
        new($"SQS write to queue '{queue.Name}' (task {taskId}) failed: {detail}", inner);
}

/// <summary>Writing to an SQS queue failed for good; the message names the queue and task.</summary>
public sealed class SqsWriteException(string message, Exception? inner) : Exception(message, inner);

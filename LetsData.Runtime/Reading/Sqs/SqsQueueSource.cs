using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using LetsData.Runtime.Aws.Sqs;

namespace LetsData.Runtime.Reading.Sqs;

/// <summary>
/// A queue read through the SQS client: ReceiveMessage (long polling <see cref="ReceiveWait"/>, all attributes),
/// DeleteMessageBatch and ChangeMessageVisibilityBatch in 10s, throttling and transport failures retried with backoff.
/// With <c>keepMessages</c> (the smoke run of <c>validate</c>, which writes nowhere) nothing is deleted: the messages
/// are made visible again instead.
/// </summary>
internal sealed class SqsQueueSource(IAmazonSQS client, string queueUrl, string queueName, TimeSpan visibilityTimeout, bool continuous,
    int stopAfterConsecutiveEmptyReceives, bool keepMessages) : ISqsQueueSource
{
    /// <summary>How long one receive waits for messages: short enough that DrainQueues ends soon after the queue is empty.</summary>
    public static readonly TimeSpan ReceiveWait = TimeSpan.FromSeconds(1);

    /// <summary>Attempts in a row of a throttled or unreachable call before the task fails.</summary>
    private const int MaxRetries = 8;

    public string QueueName => queueName;
    public TimeSpan VisibilityTimeout => visibilityTimeout;
    public bool Continuous => continuous;
    public int StopAfterConsecutiveEmptyReceives => stopAfterConsecutiveEmptyReceives;

    /// <summary>Opens the queue: its URL (looked up by name when not given) and its visibility timeout.</summary>
    public static async Task<SqsQueueSource> OpenAsync(IAmazonSQS client, string? queueName, string? queueUrl, bool continuous,
        int stopAfterConsecutiveEmptyReceives, bool keepMessages, CancellationToken cancellationToken)
    {
        var url = await SqsClients.ResolveUrlAsync(client, queueName, queueUrl, cancellationToken).ConfigureAwait(false);
        var attributes = await client.GetQueueAttributesAsync(new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = ["VisibilityTimeout"] },
            cancellationToken).ConfigureAwait(false);
        var seconds = attributes.Attributes is { } all && all.TryGetValue("VisibilityTimeout", out var text)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 30;
        return new SqsQueueSource(client, url, SqsClients.NameOf(queueName, url), TimeSpan.FromSeconds(seconds), continuous,
            stopAfterConsecutiveEmptyReceives, keepMessages);
    }

    public async ValueTask ReceiveAsync(List<SqsMessage> batch, CancellationToken cancellationToken)
    {
        var request = new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = SqsClients.MaxBatchEntries,
            WaitTimeSeconds = (int)ReceiveWait.TotalSeconds,
            MessageAttributeNames = ["All"],
            MessageSystemAttributeNames = ["MessageGroupId", "MessageDeduplicationId"],
        };
        var response = await WithRetriesAsync("ReceiveMessage", ct => client.ReceiveMessageAsync(request, ct), cancellationToken).ConfigureAwait(false);
        foreach (var message in response.Messages ?? [])
        {
            var system = message.Attributes;
            batch.Add(new SqsMessage(message.MessageId, message.ReceiptHandle, system?.GetValueOrDefault("MessageGroupId"),
                system?.GetValueOrDefault("MessageDeduplicationId"), AttributeValues(message.MessageAttributes), message.Body ?? ""));
        }
    }

    public async ValueTask DeleteAsync(IReadOnlyList<SqsMessage> messages, CancellationToken cancellationToken)
    {
        if (keepMessages)
        {
            await ChangeVisibilityAsync(messages, TimeSpan.Zero, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var chunk in messages.Chunk(SqsClients.MaxBatchEntries))
        {
            var request = new DeleteMessageBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = chunk.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle)).ToList(),
            };
            // An entry that fails (its receipt handle expired: the message was received again elsewhere) is not an
            // error here: that receiver handles it again, which at-least-once allows.
            await WithRetriesAsync("DeleteMessageBatch", ct => client.DeleteMessageBatchAsync(request, ct), cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask ChangeVisibilityAsync(IReadOnlyList<SqsMessage> messages, TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var chunk in messages.Chunk(SqsClients.MaxBatchEntries))
        {
            var request = new ChangeMessageVisibilityBatchRequest
            {
                QueueUrl = queueUrl,
                Entries = chunk.Select((m, i) => new ChangeMessageVisibilityBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle)
                {
                    VisibilityTimeout = (int)timeout.TotalSeconds,
                }).ToList(),
            };
            await WithRetriesAsync("ChangeMessageVisibilityBatch", ct => client.ChangeMessageVisibilityBatchAsync(request, ct), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private async Task<T> WithRetriesAsync<T>(string action, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var retry = 1; ; retry++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (SqsClients.IsRetryable(e, cancellationToken) && retry <= MaxRetries)
            {
                await Task.Delay(SqsClients.Backoff(retry), cancellationToken).ConfigureAwait(false);
            }
            catch (AmazonSQSException e)
            {
                throw new SqsReadException($"SQS queue '{queueName}': {action} failed with {e.ErrorCode} (HTTP {(int)e.StatusCode}): {e.Message}", e);
            }
            catch (Exception e) when (SqsClients.IsRetryable(e, cancellationToken))
            {
                throw new SqsReadException($"SQS queue '{queueName}': {action} could not reach SQS {retry} times in a row: {e.GetType().Name}: {e.Message}", e);
            }
        }
    }

    private static IReadOnlyDictionary<string, string> AttributeValues(Dictionary<string, MessageAttributeValue>? attributes)
    {
        if (attributes is null || attributes.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        var values = new Dictionary<string, string>(attributes.Count, StringComparer.Ordinal);
        foreach (var (name, value) in attributes)
        {
            values[name] = value.StringValue ?? (value.BinaryValue is { } binary ? Convert.ToBase64String(binary.ToArray()) : "");
        }

        return values;
    }
}

/// <summary>Reading an SQS queue failed for good; the message names the queue and the call.</summary>
public sealed class SqsReadException(string message, Exception? inner) : Exception(message, inner);

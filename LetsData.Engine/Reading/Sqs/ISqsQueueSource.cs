namespace LetsData.Runtime.Reading.Sqs;

/// <summary>
/// One message received from a queue. <see cref="Attributes"/> are its message attributes' values (binary ones in
/// base64); <see cref="ReceiptHandle"/> deletes it or changes its visibility.
/// </summary>
public sealed record SqsMessage(string MessageId, string ReceiptHandle, string? MessageGroupId, string? MessageDeduplicationId,
    IReadOnlyDictionary<string, string> Attributes, string Body);

/// <summary>
/// Where an SQS read connector's tasks read from (the queue behind the SQS client, or memory in the test harness). All
/// of a run's tasks share it; its members may be called from several threads at once.
/// </summary>
public interface ISqsQueueSource
{
    /// <summary>The queue's name, for messages.</summary>
    string QueueName { get; }

    /// <summary>How long a received message stays hidden from other receivers (the queue's VisibilityTimeout).</summary>
    TimeSpan VisibilityTimeout { get; }

    /// <summary>Tasks keep receiving until stopped; otherwise a task ends after <see cref="StopAfterConsecutiveEmptyReceives"/>.</summary>
    bool Continuous { get; }

    /// <summary>DrainQueues: the empty receives in a row that end a task.</summary>
    int StopAfterConsecutiveEmptyReceives { get; }

    /// <summary>Receives up to 10 messages into <paramref name="batch"/>, waiting a short while for some (none: the queue looked empty).</summary>
    ValueTask ReceiveAsync(List<SqsMessage> batch, CancellationToken cancellationToken);

    /// <summary>Deletes the messages: their documents are durable.</summary>
    ValueTask DeleteAsync(IReadOnlyList<SqsMessage> messages, CancellationToken cancellationToken);

    /// <summary>Makes the messages stay hidden for <paramref name="timeout"/> from now (zero: visible again at once).</summary>
    ValueTask ChangeVisibilityAsync(IReadOnlyList<SqsMessage> messages, TimeSpan timeout, CancellationToken cancellationToken);
}

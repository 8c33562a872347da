namespace LetsData.Interfaces.Readers;

/// <summary>Parses queue (SQS) messages, one call per message.</summary>
/// <remarks>
/// Driven by the reader type <c>"SQS Queue Reader"</c> (read connector <c>connectorDestination: "SQS"</c>,
/// <c>queueName</c> or <c>queueUrl</c>, class in <c>queueMessageReaderClassName</c>): <c>computeEngine.concurrency</c>
/// tasks receive from the queue and call this once per message, in the order received (a FIFO queue's message group is
/// handed to one task at a time, in order). The returned document or error record is written; the message is deleted
/// only after a checkpoint has made that output durable. A task that dies first leaves the message to reappear after
/// its visibility timeout and be parsed again: delivery is at least once, so parse the same message the same way.
/// </remarks>
public interface IQueueMessageReader
{
    /// <summary>Parses one message.</summary>
    /// <param name="messageId">The message id.</param>
    /// <param name="messageGroupId">The FIFO message group id, or <see langword="null"/>.</param>
    /// <param name="messageDeduplicationId">The FIFO deduplication id, or <see langword="null"/>.</param>
    /// <param name="messageAttributes">The message attributes (empty when there are none).</param>
    /// <param name="messageBody">The message body.</param>
    /// <returns>The result; its next record type is usually <see langword="null"/>.</returns>
    ParseDocumentResult ParseMessage(string messageId, string? messageGroupId,
        string? messageDeduplicationId, IReadOnlyDictionary<string, string> messageAttributes,
        string messageBody);
}

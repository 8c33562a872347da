namespace LetsData.Interfaces.Readers;

/// <summary>Parses queue (SQS) messages, one call per message.</summary>
/// <remarks>
/// What LetsData's runtime does: after the returned document is written, it deletes the message. <b>Not driven by
/// this runtime yet</b>: there is no SQS read connector, and a dataset naming this reader type fails
/// <c>letsdata validate</c> with "unknown readerType".
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

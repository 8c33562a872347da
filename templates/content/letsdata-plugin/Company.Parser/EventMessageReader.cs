using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace Company.Parser;

/// <summary>
/// Reads events from an SQS queue, one event a message body: <c>2026-12-07T10:00:00Z login user=alice</c>. A body
/// that does not parse becomes an <see cref="ErrorDoc"/> at the message's id, and the queue reader goes on.
/// </summary>
[Stateless] // no mutable state: one shared instance serves every task
public sealed class EventMessageReader : IQueueMessageReader
{
    /// <inheritdoc />
    public ParseDocumentResult ParseMessage(string messageId, string? messageGroupId, string? messageDeduplicationId,
        IReadOnlyDictionary<string, string> messageAttributes, string messageBody)
    {
        if (!EventText.TryParse(messageBody, out var parsed))
        {
            // The message id is where the bad record is: the error record names it for a redrive.
            var position = new Dictionary<string, string> { ["messageId"] = messageId };
            return ParseDocumentResult.Error(new ErrorDoc(position, position, $"not '{EventText.Shape}': {messageBody.Trim()}"));
        }

        var values = parsed.ToValues();
        values["messageId"] = messageId;
        // FIFO queues order events per group: the group is the natural partition key; standard queues have none.
        return ParseDocumentResult.Success(new Document(messageId, "Event", messageGroupId ?? parsed.Action, values));
    }
}

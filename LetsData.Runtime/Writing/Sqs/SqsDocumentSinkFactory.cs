using Amazon.SQS;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Writing.Sqs;

/// <summary>
/// The <c>SQS</c> write connector: each document becomes one message (its serialized form as the body; the document id
/// in the <paramref name="messageIdAttributeName"/> attribute when set), sent in SendMessageBatch requests of up to 10
/// messages / 256 KiB, one batch in flight per task while the next fills. FIFO queues get a group and deduplication id
/// per message (<see cref="SqsMessageKeys"/>).
/// </summary>
/// <param name="client">The client to send with (shared by all tasks).</param>
/// <param name="queueName">The queue's name (null when <paramref name="queueUrl"/> is given).</param>
/// <param name="queueUrl">The queue's URL (null: looked up by name on the first send).</param>
/// <param name="messageIdAttributeName">The message attribute that carries the document id; null: none.</param>
/// <param name="ownsClient">Whether disposing the factory disposes <paramref name="client"/>.</param>
public sealed class SqsDocumentSinkFactory(IAmazonSQS client, string? queueName, string? queueUrl, string? messageIdAttributeName, bool ownsClient)
    : IDocumentSinkFactory, IDisposable
{
    /// <summary>The id of SQS outputs in checkpoints.</summary>
    public const string Id = "sqs";

    private readonly SqsQueueAddress _queue = new(client, queueName, queueUrl);

    /// <inheritdoc />
    public string CheckpointId => Id;

    /// <summary>Counters over every sink this factory opened.</summary>
    public SqsWriteStatistics Statistics { get; } = new();

    /// <inheritdoc />
    public IDocumentSink Open(TaskContext task) =>
        new SqsDocumentSink(new SqsBatchSender(client, _queue, task.TaskId, Statistics), _queue, messageIdAttributeName, task.TaskId);

    /// <summary>Disposes the client when the factory owns it.</summary>
    public void Dispose()
    {
        if (ownsClient)
        {
            client.Dispose();
        }
    }
}

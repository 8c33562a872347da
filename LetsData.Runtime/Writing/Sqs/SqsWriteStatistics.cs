namespace LetsData.Runtime.Writing.Sqs;

/// <summary>What an SQS write connector has sent so far, over all its tasks.</summary>
public sealed class SqsWriteStatistics
{
    private long _calls;
    private long _messagesSent;
    private long _messagesResent;
    private long _retries;

    /// <summary>SendMessageBatch requests that got an answer.</summary>
    public long SendMessageBatchCalls => Interlocked.Read(ref _calls);

    /// <summary>Messages SQS stored.</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>Messages sent again after SQS refused them in a partially failed batch.</summary>
    public long MessagesResent => Interlocked.Read(ref _messagesResent);

    /// <summary>Whole requests sent again after throttling or a transport failure.</summary>
    public long RequestRetries => Interlocked.Read(ref _retries);

    internal void AddCall(int stored)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _messagesSent, stored);
    }

    internal void AddResent(int messages) => Interlocked.Add(ref _messagesResent, messages);

    internal void AddRetry() => Interlocked.Increment(ref _retries);
}

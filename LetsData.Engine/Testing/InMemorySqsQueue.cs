using System.Globalization;
using LetsData.Runtime.Reading.Sqs;

namespace LetsData.Runtime.Testing;

/// <summary>
/// An SQS queue in memory for the test harness. The engine reads it through the same <see cref="ISqsQueueSource"/> as a
/// real queue: a received message stays in flight until it is deleted or made visible again; a FIFO queue hands out a
/// message group's messages in order and holds a group back while one of its messages is in flight. Time does not
/// pass here: in-flight messages come back only when made visible again. Safe to use from several tasks at once.
/// </summary>
public sealed class InMemorySqsQueue : ISqsQueueSource
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _messages = [];
    private long _nextId;
    private long _nextHandle;

    /// <param name="queueName">The queue's name; a FIFO queue's ends with <c>.fifo</c>.</param>
    /// <param name="batchSize">Messages handed out per receive (1-10).</param>
    public InMemorySqsQueue(string queueName = "test-queue", int batchSize = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, 10);
        QueueName = queueName;
        BatchSize = batchSize;
    }

    public string QueueName { get; }

    /// <summary>Messages handed out per receive.</summary>
    public int BatchSize { get; }

    public TimeSpan VisibilityTimeout => TimeSpan.FromSeconds(30);

    /// <summary>In memory a task drains the queue: it ends at the first empty receive.</summary>
    public bool Continuous => false;

    public int StopAfterConsecutiveEmptyReceives => 1;

    /// <summary>Whether the queue is FIFO (its name ends with <c>.fifo</c>).</summary>
    public bool IsFifo => QueueName.EndsWith(".fifo", StringComparison.Ordinal);

    /// <summary>Messages not deleted yet (waiting or in flight).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _messages.Count;
            }
        }
    }

    /// <summary>The ids of the messages deleted, in the order they were deleted.</summary>
    public List<string> DeletedMessageIds { get; } = [];

    /// <summary>Adds a message and returns its id. FIFO queues need <paramref name="messageGroupId"/>.</summary>
    public string Send(string body, string? messageGroupId = null, string? messageDeduplicationId = null,
        IReadOnlyDictionary<string, string>? attributes = null)
    {
        if (IsFifo && messageGroupId is null)
        {
            throw new ArgumentException("a FIFO queue needs a message group id", nameof(messageGroupId));
        }

        lock (_lock)
        {
            var id = $"m-{++_nextId:D8}";
            _messages.Add(new Entry(new SqsMessage(id, "", messageGroupId, messageDeduplicationId,
                attributes ?? new Dictionary<string, string>(), body)));
            return id;
        }
    }

    public ValueTask ReceiveAsync(List<SqsMessage> batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var busyGroups = IsFifo
                ? _messages.Where(m => m.Handle is not null).Select(m => m.Message.MessageGroupId).ToHashSet(StringComparer.Ordinal)
                : [];
            foreach (var entry in _messages)
            {
                if (batch.Count == BatchSize)
                {
                    break;
                }

                if (entry.Handle is not null || (IsFifo && busyGroups.Contains(entry.Message.MessageGroupId)))
                {
                    // In flight, or behind a message of its group that is: FIFO order forbids handing it out.
                    if (IsFifo)
                    {
                        busyGroups.Add(entry.Message.MessageGroupId);
                    }

                    continue;
                }

                entry.Handle = (++_nextHandle).ToString(CultureInfo.InvariantCulture);
                batch.Add(entry.Message with { ReceiptHandle = entry.Handle });
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeleteAsync(IReadOnlyList<SqsMessage> messages, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            foreach (var message in messages)
            {
                if (_messages.FindIndex(m => m.Handle == message.ReceiptHandle) is var index and >= 0)
                {
                    DeletedMessageIds.Add(_messages[index].Message.MessageId);
                    _messages.RemoveAt(index);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ChangeVisibilityAsync(IReadOnlyList<SqsMessage> messages, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (timeout == TimeSpan.Zero)
        {
            lock (_lock)
            {
                foreach (var entry in _messages.Where(m => messages.Any(message => message.ReceiptHandle == m.Handle)))
                {
                    entry.Handle = null;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private sealed class Entry(SqsMessage message)
    {
        public SqsMessage Message { get; } = message;

        /// <summary>The receipt handle while in flight; null while waiting.</summary>
        public string? Handle { get; set; }
    }
}

using System.Collections.Concurrent;

namespace LetsData.Runtime.Reading.Sqs;

/// <summary>
/// The messages one task has handed to its plugin but not yet deleted. A checkpoint seals those handled so far
/// (<see cref="Seal"/>, when it takes the reader's position); once that checkpoint is stored — its documents and error
/// records durable — the sealed messages are deleted (<see cref="DeleteSealed"/>). Until then they stay hidden:
/// <see cref="IsVisibilityRunningOut"/> tells the loop when to extend their visibility. Its calls are not cancelled by
/// a stop request: a task stopping at a checkpoint must still delete what that checkpoint made durable (the client's
/// timeouts and retries bound them).
/// </summary>
internal sealed class SqsHeldMessages(ISqsQueueSource source, TimeProvider time)
{
    private readonly ConcurrentQueue<List<SqsMessage>> _sealed = new();
    private List<SqsMessage> _handled = [];
    private long _hiddenSince;

    /// <summary>Messages handled since the last checkpoint.</summary>
    public int Count => _handled.Count;

    /// <summary>Messages were received: their visibility timeout runs from now (if nothing older is held).</summary>
    public void Received()
    {
        if (_handled.Count == 0)
        {
            _hiddenSince = time.GetTimestamp();
        }
    }

    public void Handled(SqsMessage message) => _handled.Add(message);

    /// <summary>True when half the visibility timeout of the oldest message held has gone: time to extend it and checkpoint.</summary>
    public bool IsVisibilityRunningOut() => time.GetElapsedTime(_hiddenSince) >= source.VisibilityTimeout / 2;

    /// <summary>Hides the held messages and <paramref name="notYetHandled"/> for another visibility timeout from now.</summary>
    public void ExtendVisibility(IReadOnlyList<SqsMessage> notYetHandled)
    {
        source.ChangeVisibilityAsync([.. _handled, .. notYetHandled], source.VisibilityTimeout, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _hiddenSince = time.GetTimestamp();
    }

    /// <summary>Makes <paramref name="notHandled"/> visible again at once: the task stopped before handing them to its plugin.</summary>
    public void Release(IReadOnlyList<SqsMessage> notHandled) =>
        source.ChangeVisibilityAsync(notHandled, TimeSpan.Zero, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    /// <summary>At a checkpoint's position (task thread): the messages handled so far are deleted once that checkpoint is stored.</summary>
    public void Seal()
    {
        _sealed.Enqueue(_handled);
        _handled = [];
    }

    /// <summary>After a checkpoint was stored (its writer's thread): deletes the messages sealed at its position.</summary>
    public void DeleteSealed()
    {
        if (_sealed.TryDequeue(out var messages) && messages.Count > 0)
        {
            source.DeleteAsync(messages, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }
}

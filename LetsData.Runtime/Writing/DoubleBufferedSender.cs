namespace LetsData.Runtime.Writing;

/// <summary>
/// Double buffering for a sink that sends its documents in batches: the sink adds to <see cref="Filling"/> on the
/// task's thread while the previous batch is sent in the background, at most one batch in flight, so the task's thread
/// waits only when the destination is slower than the plugin. A failed send surfaces from the next
/// <see cref="ThrowIfSendFailed"/>, <see cref="Send"/>, <see cref="Flush"/> or <see cref="Complete"/>;
/// <see cref="Dispose"/> cancels a send still running. The batching rules (what fits in a batch) are the sink's.
/// Called from the task's thread only.
/// </summary>
/// <typeparam name="TBatch">The sink's batch. Two are used in turn and disposed with this sender when disposable.</typeparam>
internal sealed class DoubleBufferedSender<TBatch> : IDisposable
    where TBatch : class
{
    private readonly Func<TBatch, bool> _isEmpty;
    private readonly Action<TBatch> _clear;
    private readonly Func<TBatch, CancellationToken, Task> _send;
    private readonly CancellationTokenSource _cancellation = new();

    // The batch in flight (or sent last), emptied and filled again once its send has succeeded.
    private TBatch _spare;
    private Task? _inFlight;
    private bool _disposed;

    /// <param name="first">The batch filled first (empty).</param>
    /// <param name="second">The other batch (empty).</param>
    /// <param name="isEmpty">Whether a batch has nothing to send.</param>
    /// <param name="clear">Empties a sent batch for filling again.</param>
    /// <param name="send">Sends a batch until it is stored; the batch is left alone until the returned task ends.</param>
    public DoubleBufferedSender(TBatch first, TBatch second, Func<TBatch, bool> isEmpty, Action<TBatch> clear, Func<TBatch, CancellationToken, Task> send)
    {
        Filling = first;
        _spare = second;
        _isEmpty = isEmpty;
        _clear = clear;
        _send = send;
    }

    /// <summary>The batch the sink adds documents to.</summary>
    public TBatch Filling { get; private set; }

    /// <summary>After <see cref="Complete"/> or <see cref="Dispose"/>: the sink takes no more documents.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Throws the error of a send that has failed already, so the task fails at once rather than go on.</summary>
    public void ThrowIfSendFailed()
    {
        if (_inFlight is { IsFaulted: true })
        {
            WaitForInFlight();
        }
    }

    /// <summary>
    /// Hands <see cref="Filling"/> to the background once the batch in flight is stored (throwing its error if it
    /// failed), and makes the other batch, emptied, the one filling.
    /// </summary>
    public void Send()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        WaitForInFlight();
        var batch = Filling;
        Filling = _spare;
        _clear(Filling);
        _spare = batch;
        try
        {
            _inFlight = _send(batch, _cancellation.Token);
        }
        catch (Exception e)
        {
            // Thrown before the send got going: a failed send all the same, so it surfaces, and keeps surfacing, the
            // way a faulted one does (a throw here would let the next Send go on as if nothing had failed).
            _inFlight = Task.FromException(e);
        }
    }

    /// <summary>Sends what is batched and waits until everything handed over is stored; throws a failed send's error.</summary>
    public void Flush()
    {
        if (!_isEmpty(Filling))
        {
            Send();
        }

        WaitForInFlight();
    }

    /// <summary>
    /// The sink's <see cref="IDocumentSink.Complete"/>: sends what is batched and waits for it (later calls do
    /// nothing). For a failed task too, as the documents handed over were good ones, but quietly: the task's own error
    /// is the one to report, never a failed send (after which nothing more is sent).
    /// </summary>
    public void Complete(bool succeeded)
    {
        if (IsCompleted)
        {
            return;
        }

        IsCompleted = true;
        try
        {
            Flush();
        }
        catch (Exception) when (!succeeded)
        {
            // The task reports its own error.
        }
    }

    /// <summary>Cancels a send still running (the task was abandoned), waits for it, then frees the batches.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        IsCompleted = true;
        if (_inFlight is { IsCompleted: false })
        {
            // Stop retrying, then free the buffers the send uses.
            _cancellation.Cancel();
        }

        try
        {
            _inFlight?.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // Reported by Write or Complete already, or irrelevant once the task is abandoned.
        }

        (Filling as IDisposable)?.Dispose();
        (_spare as IDisposable)?.Dispose();
        _cancellation.Dispose();
    }

    private void WaitForInFlight()
    {
        var inFlight = _inFlight;
        if (inFlight is null)
        {
            return;
        }

        // A failed send stays in flight, so every later wait throws its error again.
        inFlight.GetAwaiter().GetResult();
        _inFlight = null;
    }
}

using System.IO.Compression;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Writing.Kinesis;

/// <summary>
/// One task's Kinesis writer. Documents fill a batch on the task's thread; a full batch is sent in the background
/// while the next one fills (double buffering, at most one batch in flight), so the task thread waits only when the
/// stream is slower than the plugin. A failed send surfaces from the next <see cref="Write"/> or from <see cref="Complete"/>.
/// </summary>
internal sealed class KinesisDocumentSink : IDocumentSink
{
    private readonly KinesisBatchSender _sender;
    private readonly bool _compress;
    private readonly string _taskKey;
    private readonly CancellationTokenSource _cancellation = new();
    private readonly MemoryStream _gzipped = new();
    private KinesisPutRecordsBatch _filling = new();
    private KinesisPutRecordsBatch _spare = new();
    private Task? _inFlight;
    private bool _completed;
    private bool _disposed;

    public KinesisDocumentSink(KinesisBatchSender sender, bool compress, string taskKey)
    {
        _sender = sender;
        _compress = compress;
        _taskKey = taskKey;
    }

    public void Write(IDocument document, ReadOnlySpan<byte> serialized)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_inFlight is { IsFaulted: true })
        {
            WaitForInFlight();
        }

        var data = Encode(serialized);
        var partitionKey = KinesisPartitionKeys.For(document, _taskKey);
        var size = KinesisPutRecordsBatch.RecordSize(data.Length, partitionKey);
        if (size > KinesisPutRecordsBatch.MaxRecordBytes)
        {
            throw new DocumentRejectedException(
                $"document {document.DocumentId ?? "(no id)"} is too large for a Kinesis record: {size} bytes ({data.Length} of data{(_compress ? " after gzip" : "")} and {size - data.Length} of partition key), the limit is {KinesisPutRecordsBatch.MaxRecordBytes} bytes");
        }

        if (!_filling.TryAdd(data, partitionKey))
        {
            Dispatch();
            _filling.TryAdd(data, partitionKey);
        }

        if (_filling.Count == KinesisPutRecordsBatch.MaxRecords)
        {
            Dispatch();
        }
    }

    public void Complete(bool succeeded)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        try
        {
            if (_filling.Count > 0)
            {
                Dispatch();
            }

            WaitForInFlight();
        }
        catch (Exception) when (!succeeded)
        {
            // The task already failed and reports its own error; what was written is flushed as far as it goes.
        }
    }

    /// <summary>Sends what is batched and waits for it: every record before the checkpoint is in the stream.</summary>
    public bool TryCheckpoint(out string? position)
    {
        if (_filling.Count > 0)
        {
            Dispatch();
        }

        WaitForInFlight();
        position = null;
        return true;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _completed = true;
        if (_inFlight is { IsCompleted: false })
        {
            // Disposed without Complete (the task was abandoned): stop retrying, then free the buffers the send uses.
            _cancellation.Cancel();
        }

        try
        {
            _inFlight?.Wait();
        }
        catch (AggregateException)
        {
            // Reported by Write or Complete already, or irrelevant once the task is abandoned.
        }

        _filling.Dispose();
        _spare.Dispose();
        _gzipped.Dispose();
        _cancellation.Dispose();
    }

    /// <summary>Hands the filled batch to the background (after the previous one is stored) and fills the other one.</summary>
    private void Dispatch()
    {
        WaitForInFlight();
        (_filling, _spare) = (_spare, _filling);
        _filling.Clear();
        var batch = _spare;

        // Task.Run: serializing the body and hashing it for the signature are CPU work that belongs off the task's thread.
        _inFlight = Task.Run(() => _sender.SendAsync(batch, _cancellation.Token));
    }

    private void WaitForInFlight()
    {
        var inFlight = _inFlight;
        if (inFlight is null)
        {
            return;
        }

        try
        {
            inFlight.GetAwaiter().GetResult();
        }
        finally
        {
            if (inFlight.IsCompletedSuccessfully)
            {
                _inFlight = null;
            }
        }
    }

    private ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> utf8)
    {
        if (!_compress)
        {
            return utf8;
        }

        // One gzip member per record, so every record gunzips on its own.
        _gzipped.SetLength(0);
        using (var gzip = new GZipStream(_gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(utf8);
        }

        return _gzipped.GetBuffer().AsSpan(0, (int)_gzipped.Length);
    }
}

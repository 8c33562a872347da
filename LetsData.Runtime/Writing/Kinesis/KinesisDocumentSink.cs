using System.IO.Compression;
using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Writing.Kinesis;

/// <summary>
/// One task's Kinesis writer. Documents fill a batch on the task's thread; a full batch is sent in the background
/// while the next one fills (double buffering, at most one batch in flight), so the task thread waits only when the
/// stream is slower than the plugin (<see cref="DoubleBufferedSender{TBatch}"/>). A failed send surfaces from the next
/// <see cref="Write"/> or from <see cref="Complete"/>.
/// </summary>
internal sealed class KinesisDocumentSink : IDocumentSink
{
    private readonly DoubleBufferedSender<KinesisPutRecordsBatch> _batches;
    private readonly bool _compress;
    private readonly string _taskKey;
    private readonly MemoryStream _gzipped = new();

    public KinesisDocumentSink(KinesisBatchSender sender, bool compress, string taskKey)
    {
        _compress = compress;
        _taskKey = taskKey;

        // Task.Run: serializing the body and hashing it for the signature are CPU work that belongs off the task's thread.
        _batches = new DoubleBufferedSender<KinesisPutRecordsBatch>(
            new KinesisPutRecordsBatch(), new KinesisPutRecordsBatch(), batch => batch.Count == 0, batch => batch.Clear(),
            (batch, cancellationToken) => Task.Run(() => sender.SendAsync(batch, cancellationToken)));
    }

    public void Write(IDocument document, ReadOnlySpan<byte> serialized)
    {
        ObjectDisposedException.ThrowIf(_batches.IsCompleted, this);
        _batches.ThrowIfSendFailed();

        var data = Encode(serialized);
        var partitionKey = KinesisPartitionKeys.For(document, _taskKey);
        var partitionKeyBytes = Encoding.UTF8.GetByteCount(partitionKey);
        var size = data.Length + partitionKeyBytes;
        if (size > KinesisPutRecordsBatch.MaxRecordBytes)
        {
            throw new DocumentRejectedException(
                $"document {document.DocumentId ?? "(no id)"} is too large for a Kinesis record: {size} bytes ({data.Length} of data{(_compress ? " after gzip" : "")} and {partitionKeyBytes} of partition key), the limit is {KinesisPutRecordsBatch.MaxRecordBytes} bytes");
        }

        if (!_batches.Filling.TryAdd(data, partitionKey, partitionKeyBytes))
        {
            _batches.Send();
            _batches.Filling.TryAdd(data, partitionKey, partitionKeyBytes);
        }

        if (_batches.Filling.Count == KinesisPutRecordsBatch.MaxRecords)
        {
            _batches.Send();
        }
    }

    /// <summary>
    /// Sends what is batched and waits for it, for a failed task too, quietly
    /// (<see cref="DoubleBufferedSender{TBatch}.Complete"/>).
    /// </summary>
    public void Complete(bool succeeded) => _batches.Complete(succeeded);

    /// <summary>Sends what is batched and waits for it: every record before the checkpoint is in the stream.</summary>
    public bool TryCheckpoint(out string? position)
    {
        _batches.Flush();
        position = null;
        return true;
    }

    public void Dispose()
    {
        _batches.Dispose();
        _gzipped.Dispose();
    }

    private ReadOnlySpan<byte> Encode(ReadOnlySpan<byte> utf8)
    {
        if (!_compress)
        {
            return utf8;
        }

        // One gzip member per record, so every record gunzips on its own. The GZipStream (and its native deflate
        // state) is made per record: .NET has no way to reset one for a new member short of calling zlib directly.
        _gzipped.SetLength(0);
        using (var gzip = new GZipStream(_gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(utf8);
        }

        return _gzipped.GetBuffer().AsSpan(0, (int)_gzipped.Length);
    }
}

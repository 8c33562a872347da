using System.Buffers;
using System.Text;
using Amazon.SQS.Model;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Aws.Sqs;

namespace LetsData.Runtime.Writing.Sqs;

/// <summary>
/// One task's SQS writer. Documents fill a SendMessageBatch (10 messages, 256 KiB) on the task's thread; a full batch
/// is sent in the background while the next one fills (<see cref="DoubleBufferedSender{TBatch}"/>). A document that
/// cannot be one message (over 256 KiB with its attributes) is refused alone (<see cref="DocumentRejectedException"/>).
/// </summary>
internal sealed class SqsDocumentSink : IDocumentSink
{
    private const string StringType = "String";

    // What SQS refuses in a body: control characters other than tab, LF and CR, and U+FFFE/U+FFFF. (Surrogates are
    // always paired here: the body is decoded from UTF-8, which cannot hold a lone one.)
    private static readonly SearchValues<char> Refused = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(c => c is not (0x9 or 0xA or 0xD)).Select(c => (char)c), '\uFFFE', '\uFFFF']);

    private readonly DoubleBufferedSender<SqsSendBatch> _batches;
    private readonly SqsQueueAddress _queue;
    private readonly string? _idAttribute;
    private readonly string _taskId;

    public SqsDocumentSink(SqsBatchSender sender, SqsQueueAddress queue, string? idAttribute, string taskId)
    {
        _queue = queue;
        _idAttribute = idAttribute;
        _taskId = taskId;
        _batches = new DoubleBufferedSender<SqsSendBatch>(new SqsSendBatch(), new SqsSendBatch(), batch => batch.Count == 0,
            batch => batch.Clear(), sender.SendAsync);
    }

    public void Write(IDocument document, ReadOnlySpan<byte> serialized)
    {
        ObjectDisposedException.ThrowIf(_batches.IsCompleted, this);
        _batches.ThrowIfSendFailed();

        var body = Encoding.UTF8.GetString(serialized);
        if (body.AsSpan().IndexOfAny(Refused) is var refused and >= 0)
        {
            throw new DocumentRejectedException(
                $"document {document.DocumentId ?? "(no id)"} cannot be an SQS message: its serialized form has the character U+{(int)body[refused]:X4} at {refused}, which SQS does not take");
        }

        var entry = new SendMessageBatchRequestEntry { MessageBody = body };
        var size = serialized.Length;
        if (_idAttribute is not null && document.DocumentId is { Length: > 0 } id)
        {
            entry.MessageAttributes = new Dictionary<string, MessageAttributeValue>(1)
            {
                [_idAttribute] = new() { DataType = StringType, StringValue = id },
            };
            // SQS counts an attribute's name, type and value against the message size.
            size += Encoding.UTF8.GetByteCount(_idAttribute) + StringType.Length + Encoding.UTF8.GetByteCount(id);
        }

        if (size > SqsClients.MaxMessageBytes)
        {
            throw new DocumentRejectedException(
                $"document {document.DocumentId ?? "(no id)"} is too large for an SQS message: {size} bytes (body and attributes), the limit is {SqsClients.MaxMessageBytes} bytes (256 KiB)");
        }

        if (_queue.IsFifo)
        {
            entry.MessageGroupId = SqsMessageKeys.GroupId(document, _taskId);
            entry.MessageDeduplicationId = SqsMessageKeys.DeduplicationId(document, body);
        }

        if (!_batches.Filling.TryAdd(entry, size))
        {
            _batches.Send();
            _batches.Filling.TryAdd(entry, size);
        }

        if (_batches.Filling.IsFull)
        {
            _batches.Send();
        }
    }

    /// <summary>Sends what is batched and waits for it, for a failed task too, quietly.</summary>
    public void Complete(bool succeeded) => _batches.Complete(succeeded);

    /// <summary>
    /// Sends what is batched and waits for it: every message before the checkpoint is in the queue. A resumed task
    /// sends what came after again (at least once; a FIFO queue drops the repeats within its deduplication window).
    /// </summary>
    public bool TryCheckpoint(out string? position)
    {
        _batches.Flush();
        position = null;
        return true;
    }

    public void Dispose() => _batches.Dispose();
}

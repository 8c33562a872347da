using System.Globalization;
using Amazon.SQS.Model;
using LetsData.Runtime.Aws.Sqs;

namespace LetsData.Runtime.Writing.Sqs;

/// <summary>The messages of one SendMessageBatch: at most 10, at most 256 KiB of bodies and attributes together.</summary>
internal sealed class SqsSendBatch
{
    public List<SendMessageBatchRequestEntry> Entries { get; } = new(SqsClients.MaxBatchEntries);

    public int Bytes { get; private set; }

    public int Count => Entries.Count;

    public bool IsFull => Entries.Count == SqsClients.MaxBatchEntries;

    /// <summary>Adds a message of <paramref name="bytes"/> (body and attributes); false when it does not fit this batch.</summary>
    public bool TryAdd(SendMessageBatchRequestEntry entry, int bytes)
    {
        if (IsFull || Bytes + bytes > SqsClients.MaxMessageBytes)
        {
            return false;
        }

        // Ids only need to be unique within the request; the position names the entry in the answer.
        entry.Id = Entries.Count.ToString(CultureInfo.InvariantCulture);
        Entries.Add(entry);
        Bytes += bytes;
        return true;
    }

    public void Clear()
    {
        Entries.Clear();
        Bytes = 0;
    }
}

namespace LetsData.Runtime.Writing.Kinesis;

/// <summary>What a Kinesis write connector has sent so far, over all its tasks (benchmarks read batch fill from it).</summary>
public sealed class KinesisWriteStatistics
{
    private long _putRecordsCalls;
    private long _recordsSent;
    private long _recordsResent;
    private long _dataBytesSent;

    /// <summary>PutRecords requests that got an answer (including the ones resending failed records).</summary>
    public long PutRecordsCalls => Interlocked.Read(ref _putRecordsCalls);

    /// <summary>Records Kinesis stored.</summary>
    public long RecordsSent => Interlocked.Read(ref _recordsSent);

    /// <summary>Records sent again after Kinesis refused them in a partially failed PutRecords.</summary>
    public long RecordsResent => Interlocked.Read(ref _recordsResent);

    /// <summary>Data bytes of the stored records (as sent: compressed when the connector compresses; keys not counted).</summary>
    public long DataBytesSent => Interlocked.Read(ref _dataBytesSent);

    internal void AddCall(int stored, long bytes)
    {
        Interlocked.Increment(ref _putRecordsCalls);
        Interlocked.Add(ref _recordsSent, stored);
        Interlocked.Add(ref _dataBytesSent, bytes);
    }

    internal void AddResent(int records) => Interlocked.Add(ref _recordsResent, records);
}

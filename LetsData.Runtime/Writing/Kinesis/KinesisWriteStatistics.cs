using LetsData.Runtime.Measures;

namespace LetsData.Runtime.Writing.Kinesis;

/// <summary>What a Kinesis write connector has sent so far, over all its tasks (benchmarks read batch fill from it).</summary>
public sealed class KinesisWriteStatistics
{
    private long _putRecordsCalls;
    private long _recordsSent;
    private long _recordsResent;

    /// <summary>PutRecords requests that got an answer (including the ones resending failed records).</summary>
    public long PutRecordsCalls => Interlocked.Read(ref _putRecordsCalls);

    /// <summary>Records Kinesis stored.</summary>
    public long RecordsSent => Interlocked.Read(ref _recordsSent);

    /// <summary>Records sent again after Kinesis refused them in a partially failed PutRecords.</summary>
    public long RecordsResent => Interlocked.Read(ref _recordsResent);

    internal void AddCall(int sent, int stored)
    {
        ProcessMeasures.SinkBatch(sent);
        Interlocked.Increment(ref _putRecordsCalls);
        Interlocked.Add(ref _recordsSent, stored);
    }

    internal void AddResent(int records, bool throttled)
    {
        ProcessMeasures.SinkRetried(throttled);
        Interlocked.Add(ref _recordsResent, records);
    }
}

namespace LetsData.Runtime.Engine;

/// <summary>Live totals of a run, updated by tasks in batches, read by progress displays.</summary>
public sealed class RunProgress
{
    private long _records;
    private long _documents;
    private long _errors;
    private long _skips;
    private long _bytesScanned;
    private int _tasksDone;
    private int _tasksErrored;

    public int TasksTotal { get; internal set; }
    public long Records => Volatile.Read(ref _records);
    public long Documents => Volatile.Read(ref _documents);
    public long Errors => Volatile.Read(ref _errors);
    public long Skips => Volatile.Read(ref _skips);
    public long BytesScanned => Volatile.Read(ref _bytesScanned);
    public int TasksDone => Volatile.Read(ref _tasksDone);
    public int TasksErrored => Volatile.Read(ref _tasksErrored);

    internal void Add(long records, long documents, long errors, long skips, long bytesScanned)
    {
        Interlocked.Add(ref _records, records);
        Interlocked.Add(ref _documents, documents);
        Interlocked.Add(ref _errors, errors);
        Interlocked.Add(ref _skips, skips);
        Interlocked.Add(ref _bytesScanned, bytesScanned);
    }

    internal void TaskEnded(bool errored)
    {
        Interlocked.Increment(ref _tasksDone);
        if (errored)
        {
            Interlocked.Increment(ref _tasksErrored);
        }
    }
}

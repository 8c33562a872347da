using LetsData.Runtime.Measures;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Engine.Checkpoints;

/// <summary>
/// Takes one task's checkpoints: decides when one is due (every so many records or so much time), flushes the task's
/// outputs, asks the reader loop where it stands (<see cref="Position"/>) and saves the result through the ledger.
/// Called on the task's thread between two results only, so the position is never in the middle of a plugin call.
/// </summary>
internal sealed class TaskCheckpointer
{
    // Reading the clock costs little, but not nothing, next to a record: look at it this often.
    private const int CheckTimeEveryResults = 64;

    private readonly ITaskLedger _ledger;
    private readonly TaskAssignment _assignment;
    private readonly CheckpointInterval? _interval;
    private readonly TimeSpan? _maxTaskTime;
    private readonly TimeProvider _time;
    private readonly long _startedAt;
    private readonly CheckpointCounters _before;
    private readonly string _outputs;
    private long _lastAt;
    private long _lastRecords;
    private long _results;
    private bool _outputsCannotResume;
    private bool _requested;
    private Task? _writing;
    private TaskCheckpoint? _written;

    public TaskCheckpointer(ITaskLedger ledger, TaskAssignment assignment, EngineOptions options, string outputs)
    {
        _outputs = outputs;
        _time = options.Time;
        _startedAt = _time.GetTimestamp();
        _ledger = ledger;
        _assignment = assignment;
        _interval = options.Checkpoints;
        _maxTaskTime = options.MaxTaskTime;
        Last = assignment.ResumeFrom;
        _before = Last?.Counters ?? CheckpointCounters.Zero;
        _lastAt = _startedAt;
    }

    /// <summary>Where the reader loop stands (inputs only; outputs and counts are filled in here). Set by the loop once its inputs are open.</summary>
    public Func<TaskCheckpoint>? Position { get; set; }

    /// <summary>
    /// Runs on the task's thread right before a checkpoint takes the outputs' positions: writes what a stage still holds
    /// (documents waiting for their vectors), so that the checkpoint's position and its outputs agree.
    /// </summary>
    public Action? BeforeCheckpoint { get; set; }

    /// <summary>
    /// Run after a checkpoint is stored, on the thread that stored it, with that checkpoint: a reader that may let go
    /// of its input only once what it gave is durable (an SQS reader deletes its messages) does it here. What it throws
    /// fails the task as a failed checkpoint does.
    /// </summary>
    public Action<TaskCheckpoint>? AfterSaved { get; set; }

    /// <summary>The last checkpoint saved (or resumed from).</summary>
    public TaskCheckpoint? Last { get; private set; }

    /// <summary>Checkpoints saved by this attempt.</summary>
    public int Saved { get; private set; }

    /// <summary>True once the task ran past <see cref="EngineOptions.MaxTaskTime"/>.</summary>
    public bool TimeBoxExpired { get; private set; }

    /// <summary>Whether checkpoints can be taken at all: the loop gave its position and the outputs can be continued.</summary>
    public bool CanCheckpoint => Position is not null && !_outputsCannotResume;

    /// <summary>Looks at the clock: true (and <see cref="TimeBoxExpired"/>) once the task ran past its time box.</summary>
    public bool IsPastTimeBox() => _maxTaskTime is { } max && _time.GetElapsedTime(_startedAt) >= max && (TimeBoxExpired = true);

    /// <summary>Makes a checkpoint due after the next result, whatever the cadence (a reader holding input it must release).</summary>
    public void Request() => _requested = true;

    /// <summary>After each result: true when a checkpoint is due now (by request, records, time, or the time box).</summary>
    public bool IsDue(long records)
    {
        if (_requested && CanCheckpoint)
        {
            _requested = false;
            return true;
        }

        if (!CanCheckpoint || (_interval is null && _maxTaskTime is null))
        {
            return false;
        }

        // A checkpoint due by records looks at the clock too: otherwise a short record interval would hide the time box.
        var dueByRecords = _interval?.Records is { } every && records - _lastRecords >= every;
        if (!dueByRecords && ++_results % CheckTimeEveryResults != 0)
        {
            return false;
        }

        var now = _time.GetTimestamp();
        if (_maxTaskTime is { } max && _time.GetElapsedTime(_startedAt, now) >= max)
        {
            TimeBoxExpired = true;
            return true;
        }

        return dueByRecords || (_interval?.Time is { } period && _time.GetElapsedTime(_lastAt, now) >= period);
    }

    /// <summary>
    /// Starts a checkpoint: hands both outputs' buffered data over and takes the readers' position on this thread; the
    /// outputs' fsync and the task record write run in the background while the task goes on, so a checkpoint costs
    /// the task a flush, not a disk round trip. False (and no more checkpoints for this task) when an output cannot be
    /// continued by a later attempt. One checkpoint is written at a time: a previous one still being written is waited
    /// for first, so checkpoints land exactly at their cadence.
    /// </summary>
    /// <exception cref="TaskOwnershipLostException">The previous checkpoint found another worker holding the task.</exception>
    public bool TryStart(IDocumentSink documents, IErrorSink errors, TaskCounters counters)
    {
        Drain();
        if (Position is not { } position || _outputsCannotResume)
        {
            return false;
        }

        var started = _time.GetTimestamp();
        BeforeCheckpoint?.Invoke();
        if (!documents.TryCheckpoint(out var documentsAt) || !errors.TryCheckpoint(out var errorsAt))
        {
            _outputsCannotResume = true;
            return false;
        }

        var checkpoint = position() with
        {
            DocumentsOutput = documentsAt,
            ErrorsOutput = errorsAt,
            Outputs = _outputs,
            Counters = _before.Plus(counters),
            Number = (Last?.Number ?? 0) + 1,
        };
        _lastAt = _time.GetTimestamp();
        _lastRecords = counters.Records;
        _written = checkpoint;
        var afterSaved = AfterSaved;
        // Stored only once durable: a crash before the write leaves the previous checkpoint, which is still valid.
        _writing = Task.Run(() =>
        {
            documents.MakeDurable();
            errors.MakeDurable();
            _ledger.SaveCheckpoint(_assignment, checkpoint);
            ProcessMeasures.CheckpointSeconds.Record(_time.GetElapsedTime(started).TotalSeconds);
            afterSaved?.Invoke(checkpoint);
        });
        return true;
    }

    /// <summary>Waits for the checkpoint being written; it becomes <see cref="Last"/>. Throws what writing it failed with.</summary>
    /// <exception cref="TaskOwnershipLostException">Another worker holds the task now.</exception>
    public void Drain()
    {
        if (_writing is not { } writing)
        {
            return;
        }

        _writing = null;
        writing.GetAwaiter().GetResult();
        Last = _written;
        Saved++;
    }

    /// <summary>As <see cref="Drain"/>, for a task that already failed: its own error is the one to report.</summary>
    public void DrainQuietly()
    {
        try
        {
            Drain();
        }
        catch (Exception)
        {
            // The task ends with its first error; this checkpoint just does not count.
        }
    }

    /// <summary>Takes a checkpoint and waits until it is stored: the task stops right after it (time box, stop request).</summary>
    public bool TrySaveNow(IDocumentSink documents, IErrorSink errors, TaskCounters counters)
    {
        if (!TryStart(documents, errors, counters))
        {
            return false;
        }

        Drain();
        return true;
    }
}

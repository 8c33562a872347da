using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Engine;

/// <summary>
/// Decides after each result whether a task goes on: takes its checkpoints when due, ends it at a checkpoint when its
/// time box ran out or a stop was requested (<see cref="StoppedAtCheckpoint"/>), ends it at the result limit, and fails
/// it (<see cref="TaskLimitException"/>) when the watchdog abandoned it or it allocated past its limit.
/// </summary>
internal sealed class TaskGovernor(
    TaskState state, EngineOptions options, RunningTask running, TaskCheckpointer checkpointer, IDocumentSink documents,
    IErrorSink errors, CancellationToken cancellationToken)
{
    // Stop requests and progress are looked at this often: cheap, but not free next to a record.
    private const int CheckEveryResults = 1024;

    // Allocation is checked this often: reading the thread's counter is cheap, but not free on the hot path.
    private const int CheckAllocationEveryResults = 16;

    private long _results;

    /// <summary>True once the task stopped right after a checkpoint (time box, stop request): it ends as RERUN, to be continued.</summary>
    public bool StoppedAtCheckpoint { get; private set; }

    /// <summary>Counts a result; true when the reader loop should stop now (see <see cref="StoppedAtCheckpoint"/>, else the result limit).</summary>
    /// <exception cref="TaskLimitException">The task was abandoned or allocated too much.</exception>
    public bool AfterResult()
    {
        _results++;
        if (running.IsAbandoned)
        {
            // The watchdog gave up on a call of this task and reported it; nothing more may be written for it.
            throw new TaskLimitException("abandoned after a plugin call timed out; its late results were dropped");
        }

        if (_results % CheckAllocationEveryResults == 0 && options.MaxTaskAllocatedBytes is { } maxAllocated
            && state.AllocatedBytes is var allocated && allocated > maxAllocated)
        {
            throw new TaskLimitException(
                $"{state.CallSite.DescribeCall()}: the task allocated {allocated:N0} bytes, over maxTaskAllocatedBytes {maxAllocated:N0}");
        }

        var counters = state.Counters;
        if (checkpointer.IsDue(counters.Records))
        {
            if (!checkpointer.TimeBoxExpired)
            {
                checkpointer.TryStart(documents, errors, counters);
            }
            else if (checkpointer.TrySaveNow(documents, errors, counters))
            {
                return StoppedAtCheckpoint = true;
            }
        }

        if (_results % CheckEveryResults == 0)
        {
            if (cancellationToken.IsCancellationRequested && checkpointer.TrySaveNow(documents, errors, counters))
            {
                // A stop request between two results: the task ends at a checkpoint and the next run goes on from it.
                return StoppedAtCheckpoint = true;
            }

            cancellationToken.ThrowIfCancellationRequested();
            state.Publish();
        }

        return _results >= options.MaxResultsPerTask;
    }

    /// <summary>
    /// For a loop about to wait for input (a queue receive): ends the task at a checkpoint now when a stop was requested
    /// or its time box ran out, as <see cref="AfterResult"/> does between results (an idle task has no results); true
    /// when it did (<see cref="StoppedAtCheckpoint"/>).
    /// </summary>
    public bool TryStopAtCheckpoint() =>
        (cancellationToken.IsCancellationRequested || checkpointer.IsPastTimeBox())
        && checkpointer.TrySaveNow(documents, errors, state.Counters) && (StoppedAtCheckpoint = true);

    /// <summary>Takes a checkpoint now and waits until it is stored (a reader releasing its input); false when the outputs cannot take one.</summary>
    public bool CheckpointNow() => checkpointer.TrySaveNow(documents, errors, state.Counters);
}

/// <summary>A limit of the engine stopped the task (allocation ceiling, abandoned after a timeout); the message says which.</summary>
internal sealed class TaskLimitException(string message) : Exception(message);

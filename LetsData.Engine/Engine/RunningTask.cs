using System.Diagnostics;

namespace LetsData.Runtime.Engine;

/// <summary>
/// A task in flight, shared by its thread and the call watchdog. Exactly one of them ends it: the thread by
/// <see cref="TryFinish"/> when it returns, the watchdog by <see cref="TryAbandon"/> when a plugin call outlived its
/// timeout. The loser of that race leaves the result alone.
/// </summary>
internal sealed class RunningTask(TaskAssignment assignment)
{
    private const int Running = 0;
    private const int Finished = 1;
    private const int Abandoned = 2;

    private int _state;
    private long _sampledCallCount = -1;
    private long _sampledAt;

    public TaskAssignment Assignment { get; } = assignment;

    public DataTaskDefinition Definition => Assignment.Task;

    /// <summary>Set by the task's thread once its call site exists; read by the watchdog.</summary>
    public PluginCallSite? CallSite { get; set; }

    public bool IsAbandoned => Volatile.Read(ref _state) == Abandoned;

    public bool TryFinish() => Interlocked.CompareExchange(ref _state, Finished, Running) == Running;

    public bool TryAbandon() => Interlocked.CompareExchange(ref _state, Abandoned, Running) == Running;

    /// <summary>
    /// Called by the watchdog only: how long the current plugin call has been running, judged from samples of the call
    /// counter (zero when the task is between calls or a new call started since the last sample).
    /// </summary>
    public TimeSpan SampleCallDuration(long now)
    {
        var site = CallSite;
        if (site is null || !site.InPluginCall)
        {
            _sampledCallCount = -1;
            return TimeSpan.Zero;
        }

        var count = site.CallCount;
        if (count != _sampledCallCount)
        {
            (_sampledCallCount, _sampledAt) = (count, now);
            return TimeSpan.Zero;
        }

        var elapsed = Stopwatch.GetElapsedTime(_sampledAt, now);
        return site.InterruptsItself ? elapsed / 2 : elapsed;
    }
}

using System.Diagnostics;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>
/// Kills a worker the hard way for the crash tests: <see cref="Process.Kill(bool)"/> is SIGKILL on Linux, so nothing of
/// the worker runs after it (no stop handler, no flush, no lease released, no outcome recorded).
/// </summary>
internal static class KillSwitch
{
    // What .NET reports as the exit code of a process ended by SIGKILL (128 + 9).
    private const int KilledExitCode = 137;

    /// <summary>
    /// Waits until <paramref name="midTask"/> says the worker is working on a task (or <paramref name="maxWait"/> has
    /// passed), then <paramref name="delay"/> more, then kills it with its children.
    /// </summary>
    /// <returns>When the kill was sent, if it ended the process; null when the process had exited on its own first.</returns>
    public static DateTimeOffset? KillWhen(Process worker, Func<bool> midTask, TimeSpan delay, TimeSpan maxWait)
    {
        WaitFor(worker, midTask, maxWait);
        return worker.HasExited || worker.WaitForExit(delay) ? null : Kill(worker);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, the worker exits or <paramref name="maxWait"/> passes.</summary>
    /// <returns>Whether the condition holds.</returns>
    public static bool WaitFor(Process worker, Func<bool> condition, TimeSpan maxWait)
    {
        var waited = Stopwatch.StartNew();
        while (!worker.HasExited && waited.Elapsed < maxWait)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(10);
        }

        return condition();
    }

    /// <summary>Kills the worker (running or stopped) with its children now.</summary>
    /// <returns>When the kill was sent, if it ended the process; null when the process had exited on its own first.</returns>
    public static DateTimeOffset? Kill(Process worker)
    {
        var killedAt = DateTimeOffset.UtcNow;
        try
        {
            worker.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended between the check and the kill.
        }

        worker.WaitForExit();
        return worker.ExitCode == KilledExitCode ? killedAt : null;
    }
}

using System.Globalization;

namespace LetsData.Runtime.State;

/// <summary>Names a worker process as <c>host:pid</c>, the owner written into the tasks it claims.</summary>
public static class WorkerIdentity
{
    public static string Current { get; } = $"{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// True when <paramref name="workerId"/> is a process of this machine that no longer runs: its lease can be taken
    /// over at once instead of after it expires (a killed local run must not block the next one for the lease time).
    /// A worker of another machine, or an id this does not understand, is never judged dead here.
    /// </summary>
    public static bool IsDeadLocalWorker(string? workerId)
    {
        var separator = workerId?.LastIndexOf(':') ?? -1;
        if (separator <= 0 || workerId![..separator] != Environment.MachineName
            || !int.TryParse(workerId.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            return false;
        }

        if (pid == Environment.ProcessId)
        {
            return false;
        }

        return !LocalProcesses.IsRunning(pid);
    }
}

using System.Diagnostics;

namespace LetsData.Runtime.State;

/// <summary>Whether a process of this machine still runs: the owner check of leases, control files and shadow copies.</summary>
public static class LocalProcesses
{
    public static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // No such process, or it ended while being looked at.
            return false;
        }
    }
}

using System.ComponentModel;
using System.Runtime.InteropServices;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>The two POSIX calls the stop-signal and crash tests need (Linux and macOS only).</summary>
internal static class Posix
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    /// <summary>SIGSTOP on Linux (17 on macOS): freezes a process until SIGCONT or SIGKILL; it cannot be caught.</summary>
    public const int SigStopLinux = 19;

    /// <summary>SIGCONT on Linux (19 on macOS): lets a stopped process go on.</summary>
    public const int SigContLinux = 18;

    /// <summary>Sends <paramref name="signal"/> to the process, as Ctrl+C or <c>kill</c> would.</summary>
    public static void Signal(int processId, int signal)
    {
        if (NativeMethods.kill(processId, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"kill({processId}, {signal}) failed");
        }
    }

    /// <summary>Creates a named pipe: opening it for reading blocks until a writer comes, which never does here.</summary>
    public static void MakeFifo(string path)
    {
        if (NativeMethods.mkfifo(path, Convert.ToUInt32("644", 8)) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"mkfifo({path}) failed");
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true)]
        public static extern int kill(int pid, int sig);

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false)]
        public static extern int mkfifo(string path, uint mode);
    }
}

using System.ComponentModel;
using System.Globalization;
using System.Runtime.InteropServices;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>The POSIX calls the stop-signal and crash tests need (Linux and macOS only).</summary>
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

    /// <summary>
    /// Whether this process ignores <paramref name="signal"/> (Linux: the SigIgn mask of /proc/self/status). A shell
    /// without job control starts its background commands with SIGINT and SIGQUIT ignored, and an ignored signal stays
    /// ignored across exec: every process this one starts ignores it too.
    /// </summary>
    public static bool IsIgnored(int signal)
    {
        const string Status = "/proc/self/status";
        if (!File.Exists(Status))
        {
            return false;
        }

        var mask = File.ReadLines(Status).FirstOrDefault(line => line.StartsWith("SigIgn:", StringComparison.Ordinal));
        return mask is not null
            && ulong.TryParse(mask.AsSpan("SigIgn:".Length).Trim(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var ignored)
            && (ignored & (1UL << (signal - 1))) != 0;
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

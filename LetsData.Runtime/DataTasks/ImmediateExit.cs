using System.Diagnostics;
using System.Runtime.InteropServices;

namespace LetsData.Runtime.DataTasks;

/// <summary>
/// Ends a data-task process at once, without running ProcessExit handlers or finalizers: plugin code may have added a
/// handler that never returns, or hold a lock the runtime's shutdown needs. Everything durable was already reported to
/// the supervisor; nothing in this process is worth a clean shutdown.
/// </summary>
internal static partial class ImmediateExit
{
    public static void Now(int exitCode)
    {
        if (OperatingSystem.IsWindows())
        {
            Process.GetCurrentProcess().Kill();
        }
        else
        {
            Exit(exitCode);
        }

        // Not reached.
        Environment.FailFast("letsdata data-task process: exit failed");
    }

    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void Exit(int status);
}

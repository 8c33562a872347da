using System.Runtime.InteropServices;

namespace LetsData.TestPlugins.HostilePlugins;

/// <summary>Starts <c>/bin/sh -c 'touch MARKER'</c> through <c>Process.Start</c>, found by name.</summary>
public sealed class ProcessStartByReflectionParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        var processType = Late.FindType("System.Diagnostics.Process", "System.Diagnostics.Process");
        var process = Late.CallStatic(processType, "Start", [typeof(string), typeof(IEnumerable<string>)],
            "/bin/sh", new[] { "-c", $"touch '{trigger.MarkerPath}'" })!;
        Late.CallInstance(process, "WaitForExit", Type.EmptyTypes);
        return $"/bin/sh exited with {Late.Property(process, "ExitCode")}";
    }
}

/// <summary>
/// Calls libc's <c>system("touch MARKER")</c> through a delegate made from the export's address: NativeLibrary and
/// Marshal.GetDelegateForFunctionPointer found by name, no P/Invoke declaration.
/// </summary>
public sealed class LibcSystemParser : HostileParser
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SystemCall([MarshalAs(UnmanagedType.LPUTF8Str)] string command);

    protected override string? Attack(Trigger trigger)
    {
        var system = Libc.Function<SystemCall>("system");
        return $"system() returned {system($"touch '{trigger.MarkerPath}'")}";
    }
}

/// <summary>
/// Kills its parent process with <c>kill(getppid(), SIGKILL)</c> (libc reached through NativeLibrary and a delegate
/// over the export's address). The parent is the supervisor once plugins run in data-task processes; when the parent is
/// the test runner itself (the input line's <c>protect</c> pid: the worker of today runs plugins in its own process),
/// the plugin kills the process it runs in instead, the nearest thing to its supervisor.
/// </summary>
public sealed class KillParentParser : HostileParser
{
    private const int SigKill = 9;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int GetPid();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int Kill(int pid, int signal);

    protected override string? Attack(Trigger trigger)
    {
        var parent = Libc.Function<GetPid>("getppid")();
        var victim = parent == trigger.ProtectedPid ? Libc.Function<GetPid>("getpid")() : parent;
        var result = Libc.Function<Kill>("kill")(victim, SigKill);
        return $"kill({victim}, SIGKILL) returned {result} (parent {parent})";
    }
}

/// <summary>libc exports as delegates, with no P/Invoke declaration and no fenced API named.</summary>
internal static class Libc
{
    public static T Function<T>(string export) where T : Delegate
    {
        var nativeLibrary = Late.CoreType("System.Runtime.InteropServices.NativeLibrary");
        var library = (IntPtr)Late.CallStatic(nativeLibrary, "Load", [typeof(string)], "libc.so.6")!;
        var address = (IntPtr)Late.CallStatic(nativeLibrary, "GetExport", [typeof(IntPtr), typeof(string)], library, export)!;
        return (T)Late.CallStatic(typeof(Marshal), "GetDelegateForFunctionPointer", [typeof(IntPtr), typeof(Type)], address, typeof(T))!;
    }
}

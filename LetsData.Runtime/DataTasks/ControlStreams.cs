using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LetsData.Runtime.DataTasks;

/// <summary>
/// A data-task process's control channel is its standard input and output, taken over before any plugin code runs:
/// on Unix the two descriptors are duplicated for the channel and then replaced — standard input by /dev/null, standard
/// output by standard error — so a plugin that reads the console gets nothing and one that prints to it (a common debug
/// habit) writes log lines, never bytes into the channel.
/// </summary>
internal static partial class ControlStreams
{
    public static (Stream Input, Stream Output) TakeOver()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            var input = Console.OpenStandardInput();
            var output = Console.OpenStandardOutput();
            Console.SetOut(Console.Error);
            return (input, output);
        }

        var channelIn = Check(Dup(0), "dup(0)");
        var channelOut = Check(Dup(1), "dup(1)");
        var devNull = Check(Open("/dev/null", 0), "open(/dev/null)");
        Check(Dup2(devNull, 0), "dup2(/dev/null, 0)");
        Check(Close(devNull), "close");
        Check(Dup2(2, 1), "dup2(2, 1)");
        Console.SetOut(Console.Error);
        return (new FileStream(new SafeFileHandle(channelIn, ownsHandle: true), FileAccess.Read, bufferSize: 0),
            new FileStream(new SafeFileHandle(channelOut, ownsHandle: true), FileAccess.Write, bufferSize: 0));
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}

using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.InteropServices;

namespace LetsData.TestPlugins.PolicyViolators;

// One class per fenced category; the tests name each class and method, so keep them stable.

public static class ProcessStarter
{
    public static void StartShell() => Process.Start("/bin/sh");
}

public static class SocketOpener
{
    public static Socket Open() => new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
}

public static class HttpCaller
{
    public static Task<string> Fetch() => new HttpClient().GetStringAsync("http://169.254.169.254/latest/meta-data/");
}

public static class FileWriter
{
    public static void Write(string path) => File.WriteAllText(path, "x");

    public static StreamWriter OpenWriter(string path) => new(path);
}

public static class FileReader
{
    public static string ReadCredentials() => File.ReadAllText("/root/.aws/credentials");
}

public static class EnvironmentReader
{
    public static string? ReadSecret() => Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
}

public static class AssemblyFromBytesLoader
{
    public static Assembly Load(byte[] image) => Assembly.Load(image);
}

public static class EmitUser
{
    public static DynamicMethod Create() => new("f", typeof(int), Type.EmptyTypes);
}

public static partial class NativeGetenv
{
    [DllImport("libc", CharSet = CharSet.Ansi)]
    public static extern nint getenv(string name);
}

public static unsafe class FunctionPointerCaller
{
    public static int Call(nint address) => ((delegate* unmanaged<int>)address)();
}

public static class MarshalReader
{
    public static int Peek(nint address) => Marshal.ReadInt32(address);
}

public static class ThreadStarter
{
    public static void Start() => new Thread(Spin) { IsBackground = true }.Start();

    private static void Spin()
    {
        while (true)
        {
            Thread.Sleep(1000);
        }
    }
}

public static class TimerStarter
{
    public static Timer Start() => new(_ => { }, null, 0, 1000);
}

public static class TaskStarter
{
    public static Task Start() => Task.Run(() => { });
}

public static class StringReflection
{
    public static Type? FindProcess() => Type.GetType("System.Diagnostics.Process, System.Diagnostics.Process");
}

public static class LateBoundInvoker
{
    public static object? Call() => typeof(Console).GetMethod("WriteLine", [typeof(string)])!.Invoke(null, ["x"]);
}

public static class GenericArgument
{
    public static object Create() => Activator.CreateInstance<Process>();
}

public static class AfterSwitch
{
    // A dense switch compiles to the IL switch opcode (variable-length operand): the call after it must still be found.
    public static int KillAfterSwitch(int kind)
    {
        var code = kind switch
        {
            0 => 10,
            1 => 20,
            2 => 30,
            3 => 40,
            _ => 0,
        };
        Process.GetCurrentProcess().Kill();
        return code;
    }
}

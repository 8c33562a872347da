using static LetsData.Runtime.Plugins.Policy.FencedApi;
using static LetsData.Runtime.Plugins.Policy.PolicyRules;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// The default deny table: what plugin code may not reference. A parser or reader gets its input from the worker and
/// returns documents to it; it needs none of these APIs to do that.
/// </summary>
public static class DefaultPluginPolicy
{
    /// <summary>The fenced namespaces, types and members, grouped by rule.</summary>
    public static IReadOnlyList<FencedApi> Fence { get; } =
    [
        Type(ProcessControl, "System.Diagnostics.Process"),
        Type(ProcessControl, "System.Diagnostics.ProcessStartInfo"),
        Member(ProcessControl, "System.Environment", "Exit"),
        Member(ProcessControl, "System.Environment", "FailFast"),

        Namespace(Network, "System.Net.Sockets"),
        Namespace(Network, "System.Net.Http"),
        Namespace(Network, "System.Net.WebSockets"),
        Namespace(Network, "System.Net.Quic"),
        Namespace(Network, "System.Net.Mail"),
        Namespace(Network, "System.Net.NetworkInformation"),
        Namespace(Network, "System.IO.Pipes"),
        Type(Network, "System.Net.WebClient"),
        Type(Network, "System.Net.WebRequest"),
        Type(Network, "System.Net.HttpWebRequest"),
        Type(Network, "System.Net.FtpWebRequest"),
        Type(Network, "System.Net.FileWebRequest"),
        Type(Network, "System.Net.HttpListener"),
        Type(Network, "System.Net.Dns"),

        // Reads are fenced with writes: which paths a call touches is only known at run time, so a read cannot be
        // proven to stay inside a plugin's temp folder (and ~/.aws/credentials is a file read).
        Type(FileSystem, "System.IO.File"),
        Type(FileSystem, "System.IO.Directory"),
        Type(FileSystem, "System.IO.FileSystemInfo"),
        Type(FileSystem, "System.IO.FileInfo"),
        Type(FileSystem, "System.IO.DirectoryInfo"),
        Type(FileSystem, "System.IO.DriveInfo"),
        Type(FileSystem, "System.IO.FileSystemWatcher"),
        Type(FileSystem, "System.IO.RandomAccess"),
        Type(FileSystem, "System.IO.Compression.ZipFile"),
        Type(FileSystem, "System.IO.Compression.ZipFileExtensions"),
        Namespace(FileSystem, "System.IO.MemoryMappedFiles"),
        Namespace(FileSystem, "System.IO.IsolatedStorage"),
        Namespace(FileSystem, "System.IO.Enumeration"),
        Member(FileSystem, "System.IO.FileStream", ".ctor"),
        Member(FileSystem, "System.IO.StreamReader", ".ctor", "string"),
        Member(FileSystem, "System.IO.StreamWriter", ".ctor", "string"),
        Member(FileSystem, "System.IO.Path", "GetTempFileName"),

        Member(EnvironmentAndCredentials, "System.Environment", "GetEnvironmentVariable*"),
        Member(EnvironmentAndCredentials, "System.Environment", "SetEnvironmentVariable"),
        Member(EnvironmentAndCredentials, "System.Environment", "ExpandEnvironmentVariables"),
        Member(EnvironmentAndCredentials, "System.Environment", "GetFolderPath"),
        Namespace(EnvironmentAndCredentials, "Microsoft.Win32"),
        Type(EnvironmentAndCredentials, "System.Security.Cryptography.X509Certificates.X509Store"),

        Member(AssemblyLoading, "System.Reflection.Assembly", "Load", "byte[]"),
        Member(AssemblyLoading, "System.Reflection.Assembly", "LoadFrom"),
        Member(AssemblyLoading, "System.Reflection.Assembly", "LoadFile"),
        Member(AssemblyLoading, "System.Reflection.Assembly", "UnsafeLoadFrom"),
        Member(AssemblyLoading, "System.AppDomain", "Load", "byte[]"),
        Member(AssemblyLoading, "System.Runtime.Loader.AssemblyLoadContext", "LoadFrom*"),

        Namespace(CodeGeneration, "System.Reflection.Emit"),
        Member(CodeGeneration, "System.Linq.Expressions.LambdaExpression", "Compile"),
        Member(CodeGeneration, "System.Linq.Expressions.Expression`1", "Compile"),

        // P/Invoke declarations (DllImport, LibraryImport's generated stub) and unmanaged calli are found by the
        // scanner itself; these are the managed doors to native code.
        Type(NativeCode, "System.Runtime.InteropServices.NativeLibrary"),
        Member(NativeCode, "System.Runtime.InteropServices.Marshal", "GetDelegateForFunctionPointer*"),
        Member(NativeCode, "System.Runtime.InteropServices.Marshal", "GetFunctionPointerForDelegate*"),
        Member(NativeCode, "System.RuntimeMethodHandle", "GetFunctionPointer"),

        Member(UnmanagedMemory, "System.Runtime.InteropServices.Marshal", "Alloc*"),
        Member(UnmanagedMemory, "System.Runtime.InteropServices.Marshal", "ReAlloc*"),
        Member(UnmanagedMemory, "System.Runtime.InteropServices.Marshal", "Free*"),
        Member(UnmanagedMemory, "System.Runtime.InteropServices.Marshal", "Read*"),
        Member(UnmanagedMemory, "System.Runtime.InteropServices.Marshal", "Write*"),
        Member(UnmanagedMemory, "System.Runtime.InteropServices.Marshal", "Copy"),
        Member(UnmanagedMemory, "System.Runtime.InteropServices.Marshal", "PtrTo*"),
        Member(UnmanagedMemory, "System.Runtime.InteropServices.Marshal", "StringTo*"),
        Member(UnmanagedMemory, "System.Runtime.InteropServices.Marshal", "StructureToPtr"),
        Type(UnmanagedMemory, "System.Runtime.InteropServices.NativeMemory"),

        // The contract is synchronous: work still queued when a call returns runs outside any task, may hold the
        // plugin's load context alive, and cannot be stopped. Task.Run and StartNew are fenced for that reason;
        // Parallel.For/ForEach and PLINQ are not (they return only when their work is done).
        Member(BackgroundWork, "System.Threading.Thread", ".ctor"),
        Member(BackgroundWork, "System.Threading.Thread", "Start"),
        Member(BackgroundWork, "System.Threading.Thread", "UnsafeStart"),
        Member(BackgroundWork, "System.Threading.ThreadPool", "QueueUserWorkItem"),
        Member(BackgroundWork, "System.Threading.ThreadPool", "UnsafeQueue*"),
        Member(BackgroundWork, "System.Threading.ThreadPool", "RegisterWaitForSingleObject"),
        Member(BackgroundWork, "System.Threading.ThreadPool", "UnsafeRegisterWaitForSingleObject"),
        Type(BackgroundWork, "System.Threading.Timer"),
        Type(BackgroundWork, "System.Timers.Timer"),
        Member(BackgroundWork, "System.TimeProvider", "CreateTimer"),
        Member(BackgroundWork, "System.Threading.Tasks.Task", "Run"),
        Member(BackgroundWork, "System.Threading.Tasks.Task", "Start"),
        Member(BackgroundWork, "System.Threading.Tasks.Task", "Delay"),
        Member(BackgroundWork, "System.Threading.Tasks.Task", "Yield"),
        Member(BackgroundWork, "System.Threading.Tasks.TaskFactory", "StartNew"),
        Member(BackgroundWork, "System.Threading.Tasks.TaskFactory`1", "StartNew"),

        // Looking a type up by name reaches types the scanner never sees named; invoking a member through a
        // reflection object reaches members it never sees referenced. Both are fenced outright (not only when a
        // GetMethod(string) and an Invoke meet in one method: the MethodInfo can be passed between methods).
        // Reading metadata (GetMethod, GetProperties, attributes) stays allowed.
        Member(LateBoundReflection, "System.Type", "GetType", "string"),
        Member(LateBoundReflection, "System.Type", "GetTypeFromProgID"),
        Member(LateBoundReflection, "System.Type", "GetTypeFromCLSID"),
        Member(LateBoundReflection, "System.Type", "InvokeMember"),
        Member(LateBoundReflection, "System.Reflection.Assembly", "GetType", "string"),
        Member(LateBoundReflection, "System.Reflection.Assembly", "CreateInstance"),
        Member(LateBoundReflection, "System.Reflection.Module", "GetType", "string"),
        Member(LateBoundReflection, "System.Activator", "CreateInstance", "string"),
        Member(LateBoundReflection, "System.Activator", "CreateInstance", "System.Type"),
        Member(LateBoundReflection, "System.Activator", "CreateInstanceFrom"),
        Member(LateBoundReflection, "System.AppDomain", "CreateInstance*"),
        Member(LateBoundReflection, "System.Reflection.MethodBase", "Invoke"),
        Member(LateBoundReflection, "System.Reflection.MethodInfo", "Invoke"),
        Member(LateBoundReflection, "System.Reflection.ConstructorInfo", "Invoke"),
        Member(LateBoundReflection, "System.Reflection.MethodInfo", "CreateDelegate"),
        Member(LateBoundReflection, "System.Delegate", "CreateDelegate"),
        Member(LateBoundReflection, "System.Reflection.PropertyInfo", "GetValue"),
        Member(LateBoundReflection, "System.Reflection.PropertyInfo", "SetValue"),
        Member(LateBoundReflection, "System.Reflection.FieldInfo", "GetValue"),
        Member(LateBoundReflection, "System.Reflection.FieldInfo", "SetValue"),
        Member(LateBoundReflection, "System.Reflection.EventInfo", "AddEventHandler"),
        Member(LateBoundReflection, "System.Reflection.MethodInvoker", "*"),
        Member(LateBoundReflection, "System.Reflection.ConstructorInvoker", "*"),
    ];
}

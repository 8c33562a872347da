using System.Runtime.InteropServices;

namespace LetsData.Runtime.Confinement;

/// <summary>
/// The few libc entry points confinement needs. Syscalls glibc has no wrapper for (Landlock, seccomp, capset) go
/// through <c>syscall(2)</c>: glibc implements it in assembly that only moves the six integer registers, so declaring
/// it with fixed <c>long</c> parameters is safe on x86_64 and arm64 even though the C prototype is variadic.
/// </summary>
internal static unsafe partial class LinuxSyscalls
{
    private const string Libc = "libc";

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int E2BIG = 7;
    public const int EACCES = 13;
    public const int EINVAL = 22;
    public const int ENOSYS = 38;
    public const int EOPNOTSUPP = 95;

    /// <summary>Same value on x86_64 and arm64 (both use the generic fcntl flags for these two).</summary>
    public const int O_PATH = 0x200000;
    public const int O_CLOEXEC = 0x80000;

    public const int PR_CAPBSET_DROP = 24;
    public const int PR_SET_NO_NEW_PRIVS = 38;
    public const int PR_GET_NO_NEW_PRIVS = 39;
    public const int PR_CAP_AMBIENT = 47;
    public const int PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /// <summary>Numbers that are the same on x86_64 and arm64 (allocated after the tables were unified).</summary>
    public const long SysLandlockCreateRuleset = 444;
    public const long SysLandlockAddRule = 445;
    public const long SysLandlockRestrictSelf = 446;

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long arg1, long arg2, long arg3, long arg4, long arg5);

    [LibraryImport(Libc, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, ulong arg2, ulong arg3, ulong arg4, ulong arg5);

    /// <summary>capset(2) through glibc's wrapper (its syscall number differs between architectures).</summary>
    [LibraryImport(Libc, EntryPoint = "capset", SetLastError = true)]
    public static partial int Capset(Capabilities.CapHeader* header, Capabilities.CapData* data);

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "execve", SetLastError = true)]
    public static partial int Execve(byte* path, byte** argv, byte** envp);

    [LibraryImport(Libc, EntryPoint = "geteuid")]
    public static partial uint Geteuid();

    /// <summary>statx(2): its struct has one layout on every architecture, unlike stat's.</summary>
    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true)]
    public static partial int Statx(int dirfd, byte* path, int flags, uint mask, byte* statxBuffer);

    /// <summary>realpath(3) with a NULL buffer: glibc allocates the result, which the caller frees.</summary>
    [LibraryImport(Libc, EntryPoint = "realpath", SetLastError = true)]
    public static partial byte* Realpath(byte* path, byte* resolved);

    [LibraryImport(Libc, EntryPoint = "free")]
    public static partial void Free(void* pointer);

    /// <summary>The errno of the last call above (LibraryImport saved it right after the call returned).</summary>
    public static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>A short text for an errno, e.g. "EACCES (13): Permission denied".</summary>
    public static string Describe(int errno) => $"errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}";

    /// <summary>A NUL-terminated UTF-8 copy in native memory that is never freed (it must outlive an execve).</summary>
    public static byte* ToNativeUtf8(string value)
    {
        var count = System.Text.Encoding.UTF8.GetByteCount(value);
        var buffer = (byte*)NativeMemory.Alloc((nuint)count + 1);
        System.Text.Encoding.UTF8.GetBytes(value, new Span<byte>(buffer, count));
        buffer[count] = 0;
        return buffer;
    }

    /// <summary>A NULL-terminated array of native UTF-8 strings (never freed, see <see cref="ToNativeUtf8"/>).</summary>
    public static byte** ToNativeStringArray(IReadOnlyList<string> values)
    {
        var array = (byte**)NativeMemory.Alloc((nuint)(values.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < values.Count; i++)
        {
            array[i] = ToNativeUtf8(values[i]);
        }

        array[values.Count] = null;
        return array;
    }
}

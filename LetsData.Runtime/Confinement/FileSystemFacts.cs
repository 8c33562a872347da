using System.Runtime.InteropServices;

namespace LetsData.Runtime.Confinement;

/// <summary>
/// What .NET does not say about a path: who owns it, and where it really is once every symbolic link on the way is
/// followed. Both decide whether a folder is private and whether an input stays under its root.
/// </summary>
public static unsafe class FileSystemFacts
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxUid = 0x8;
    private const int StatxBufferBytes = 256;

    // struct statx (native byte order): stx_uid at byte 20 on every architecture.
    private const int StatxUidOffset = 20;

    /// <summary>The effective user id of this process; null where there is none (Windows).</summary>
    public static uint? EffectiveUserId => OperatingSystem.IsWindows() ? null : LinuxSyscalls.Geteuid();

    /// <summary>
    /// The owner's user id of <paramref name="path"/> itself (a link is not followed); null when it does not exist or
    /// the system cannot tell (not Linux).
    /// </summary>
    public static uint? OwnerOf(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var buffer = stackalloc byte[StatxBufferBytes];
        var native = LinuxSyscalls.ToNativeUtf8(path);
        try
        {
            if (LinuxSyscalls.Statx(AtFdCwd, native, AtSymlinkNoFollow, StatxUid, buffer) != 0)
            {
                return null;
            }
        }
        finally
        {
            NativeMemory.Free(native);
        }

        return *(uint*)(buffer + StatxUidOffset);
    }

    /// <summary>
    /// <paramref name="path"/> made absolute with every symbolic link followed. A part that does not exist (yet) is
    /// kept as written under its resolved parent, so a file about to be created resolves too.
    /// </summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        if (OperatingSystem.IsWindows())
        {
            return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
        }

        var native = LinuxSyscalls.ToNativeUtf8(full);
        try
        {
            var resolved = LinuxSyscalls.Realpath(native, null);
            if (resolved is not null)
            {
                try
                {
                    return Marshal.PtrToStringUTF8((nint)resolved)!;
                }
                finally
                {
                    LinuxSyscalls.Free(resolved);
                }
            }
        }
        finally
        {
            NativeMemory.Free(native);
        }

        var parent = Path.GetDirectoryName(full);
        return parent is null ? full : Path.Combine(RealPath(parent), Path.GetFileName(full));
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="folder"/> or inside it (both already real paths).</summary>
    public static bool IsUnder(string path, string folder)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var trimmed = Path.TrimEndingDirectorySeparator(folder);
        return path.Equals(trimmed, comparison)
            || (path.StartsWith(trimmed, comparison) && path.Length > trimmed.Length && path[trimmed.Length] == Path.DirectorySeparatorChar)
            || (trimmed.Length > 0 && trimmed[^1] == Path.DirectorySeparatorChar && path.StartsWith(trimmed, comparison)); // the root folder "/"
    }
}

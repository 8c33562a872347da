namespace LetsData.Runtime.Confinement;

/// <summary>What a confined process may touch. Everything not listed is refused (as far as the kernel can enforce it;
/// see <c>ConfinementReport.Missing</c>).</summary>
public sealed record ConfinementPolicy
{
    /// <summary>
    /// The read-only paths a .NET app needs to start and run under Landlock (found with strace): its own /proc entries
    /// (a rule on /proc/self holds the pid, which an execve keeps, so other processes stay hidden), CPU, NUMA and
    /// cgroup limits, the loader cache and /dev/urandom. Add the dotnet root, the app folder and the system library
    /// folders (/usr/lib, /lib, /lib64; ICU lives there) to <see cref="ReadExecutePaths"/>.
    /// </summary>
    public static IReadOnlyList<string> DotnetRuntimeReadOnlyPaths { get; } =
    [
        "/proc/self", "/proc/stat", "/proc/meminfo",
        "/sys/devices/system/cpu", "/sys/devices/system/node", "/sys/fs/cgroup",
        "/etc/ld.so.cache", "/dev/urandom",
    ];

    /// <summary>Files and folders (with everything below) the process may read and list.</summary>
    public IReadOnlyList<string> ReadOnlyPaths { get; init; } = [];

    /// <summary>Like <see cref="ReadOnlyPaths"/>, and files below may also be executed (the .NET runtime, the app folder).</summary>
    public IReadOnlyList<string> ReadExecutePaths { get; init; } = [];

    /// <summary>Folders below which the process may read, create, write, truncate, remove and rename files and folders
    /// (outputs, a private temp folder). Never executable.</summary>
    public IReadOnlyList<string> ReadWritePaths { get; init; } = [];

    /// <summary>The only TCP ports connect() may reach (any address). Binding a TCP port is never allowed.</summary>
    public IReadOnlyList<int> TcpConnectPorts { get; init; } = [];

    /// <summary>Address families socket() may create (AF_INET = 2, AF_INET6 = 10); empty means no sockets at all.</summary>
    public IReadOnlyList<int> SocketFamilies { get; init; } = [];
}

using System.Runtime.InteropServices;

namespace LetsData.Runtime.Confinement;

/// <summary>
/// Landlock's kernel ABI: the access rights, the attribute structs of its three syscalls, and which rights each ABI
/// version knows (a ruleset may only handle rights its kernel knows, or landlock_create_ruleset fails with EINVAL).
/// </summary>
internal static unsafe class Landlock
{
    public const uint CreateRulesetVersion = 1;
    public const int RuleTypePathBeneath = 1;
    public const int RuleTypeNetPort = 2;

    // Filesystem rights (ABI 1 unless noted).
    public const ulong FsExecute = 1UL << 0;
    public const ulong FsWriteFile = 1UL << 1;
    public const ulong FsReadFile = 1UL << 2;
    public const ulong FsReadDir = 1UL << 3;
    public const ulong FsRemoveDir = 1UL << 4;
    public const ulong FsRemoveFile = 1UL << 5;
    public const ulong FsMakeChar = 1UL << 6;
    public const ulong FsMakeDir = 1UL << 7;
    public const ulong FsMakeReg = 1UL << 8;
    public const ulong FsMakeSock = 1UL << 9;
    public const ulong FsMakeFifo = 1UL << 10;
    public const ulong FsMakeBlock = 1UL << 11;
    public const ulong FsMakeSym = 1UL << 12;
    public const ulong FsRefer = 1UL << 13;      // ABI 2
    public const ulong FsTruncate = 1UL << 14;   // ABI 3
    public const ulong FsIoctlDev = 1UL << 15;   // ABI 5

    /// <summary>The only rights a rule on a non-directory may carry (the others fail add_rule with EINVAL).</summary>
    public const ulong FsFileRights = FsExecute | FsWriteFile | FsReadFile | FsTruncate | FsIoctlDev;

    // Network rights (ABI 4).
    public const ulong NetBindTcp = 1UL << 0;
    public const ulong NetConnectTcp = 1UL << 1;

    // Scopes (ABI 6): IPC that may not leave the domain.
    public const ulong ScopeAbstractUnixSocket = 1UL << 0;
    public const ulong ScopeSignal = 1UL << 1;

    /// <summary>struct landlock_ruleset_attr. Fields a kernel does not know must stay zero (it checks the tail).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RulesetAttr
    {
        public ulong HandledAccessFs;
        public ulong HandledAccessNet;
        public ulong Scoped;
    }

    /// <summary>struct landlock_path_beneath_attr: packed, 12 bytes.</summary>
    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    public struct PathBeneathAttr
    {
        public ulong AllowedAccess;
        public int ParentFd;
    }

    /// <summary>struct landlock_net_port_attr.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct NetPortAttr
    {
        public ulong AllowedAccess;
        public ulong Port;
    }

    /// <summary>The kernel's Landlock ABI version, or 0 when Landlock is not built in, disabled at boot, or not Linux.</summary>
    public static int Abi()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var version = LinuxSyscalls.Syscall(LinuxSyscalls.SysLandlockCreateRuleset, 0, 0, CreateRulesetVersion, 0, 0);
        return version < 0 ? 0 : (int)version;
    }

    /// <summary>Every filesystem right the given ABI knows.</summary>
    public static ulong FsRightsOf(int abi) => abi switch
    {
        <= 0 => 0,
        1 => (FsMakeSym << 1) - 1,
        2 => (FsRefer << 1) - 1,
        3 or 4 => (FsTruncate << 1) - 1,
        _ => (FsIoctlDev << 1) - 1,
    };

    public static ulong NetRightsOf(int abi) => abi >= 4 ? NetBindTcp | NetConnectTcp : 0;

    public static ulong ScopesOf(int abi) => abi >= 6 ? ScopeAbstractUnixSocket | ScopeSignal : 0;
}

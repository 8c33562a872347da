using System.Runtime.InteropServices;

namespace LetsData.Runtime.Confinement;

/// <summary>
/// The syscall numbers the seccomp filter looks at, for one architecture (numbers differ between x86_64 and arm64;
/// arm64 uses the generic table of asm-generic/unistd.h).
/// </summary>
/// <param name="Name">The architecture's name for the log.</param>
/// <param name="AuditArch">AUDIT_ARCH_* that seccomp_data.arch holds for a native syscall.</param>
/// <param name="RefuseX32">x86_64 only: syscalls with bit 30 set (the x32 ABI) are refused.</param>
/// <param name="Refused">Syscalls that get EPERM, by name.</param>
/// <param name="Socket">socket(2).</param>
/// <param name="CloneSyscall">clone(2).</param>
/// <param name="Clone3">clone3(2).</param>
/// <param name="Seccomp">seccomp(2).</param>
internal sealed record SeccompSyscalls(
    string Name,
    uint AuditArch,
    bool RefuseX32,
    IReadOnlyDictionary<string, uint> Refused,
    uint Socket,
    uint CloneSyscall,
    uint Clone3,
    uint Seccomp)
{
    public const uint X32SyscallBit = 0x40000000;

    public static readonly SeccompSyscalls X64 = new(
        "x86_64",
        AuditArch: 0xC000003E,
        RefuseX32: true,
        new Dictionary<string, uint>
        {
            ["execve"] = 59, ["execveat"] = 322, ["fork"] = 57, ["vfork"] = 58, ["pidfd_getfd"] = 438,
            ["ptrace"] = 101, ["process_vm_readv"] = 310, ["process_vm_writev"] = 311,
            ["io_uring_setup"] = 425, ["io_uring_enter"] = 426, ["io_uring_register"] = 427,
            ["bpf"] = 321, ["perf_event_open"] = 298, ["userfaultfd"] = 323,
            ["kexec_load"] = 246, ["kexec_file_load"] = 320,
            ["init_module"] = 175, ["finit_module"] = 313, ["delete_module"] = 176,
            ["mount"] = 165, ["umount2"] = 166, ["pivot_root"] = 155, ["chroot"] = 161,
            ["setns"] = 308, ["unshare"] = 272,
            ["keyctl"] = 250, ["add_key"] = 248, ["request_key"] = 249,
            ["reboot"] = 169, ["swapon"] = 167, ["swapoff"] = 168,
        },
        Socket: 41,
        CloneSyscall: 56,
        Clone3: 435,
        Seccomp: 317);

    public static readonly SeccompSyscalls Arm64 = new(
        "arm64",
        AuditArch: 0xC00000B7,
        RefuseX32: false,
        new Dictionary<string, uint>
        {
            ["execve"] = 221, ["execveat"] = 281, ["pidfd_getfd"] = 438,
            ["ptrace"] = 117, ["process_vm_readv"] = 270, ["process_vm_writev"] = 271,
            ["io_uring_setup"] = 425, ["io_uring_enter"] = 426, ["io_uring_register"] = 427,
            ["bpf"] = 280, ["perf_event_open"] = 241, ["userfaultfd"] = 282,
            ["kexec_load"] = 104, ["kexec_file_load"] = 294,
            ["init_module"] = 105, ["finit_module"] = 273, ["delete_module"] = 106,
            ["mount"] = 40, ["umount2"] = 39, ["pivot_root"] = 41, ["chroot"] = 51,
            ["setns"] = 268, ["unshare"] = 97,
            ["keyctl"] = 219, ["add_key"] = 217, ["request_key"] = 218,
            ["reboot"] = 142, ["swapon"] = 224, ["swapoff"] = 225,
        },
        Socket: 198,
        CloneSyscall: 220,
        Clone3: 435,
        Seccomp: 277);

    /// <summary>The table of the running process's architecture, or null for one this filter does not know.</summary>
    public static SeccompSyscalls? ForCurrentProcess() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => X64,
        Architecture.Arm64 => Arm64,
        _ => null,
    };
}

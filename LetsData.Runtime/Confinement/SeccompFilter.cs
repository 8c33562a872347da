using System.Globalization;
using System.Runtime.InteropServices;

namespace LetsData.Runtime.Confinement;

/// <summary>
/// The seccomp filter of a confined process: refuses the syscalls a data task never needs and that widen the attack
/// surface (exec, ptrace, io_uring, bpf, namespaces, mounts, keyrings, modules...), restricts socket() to the
/// policy's address families, and installs itself on every thread of the process at once (TSYNC).
/// </summary>
internal static unsafe class SeccompFilter
{
    public const uint RetKillProcess = 0x80000000;
    public const uint RetErrno = 0x00050000;
    public const uint RetAllow = 0x7FFF0000;

    private const int SetModeFilter = 1;
    private const int FilterFlagTsync = 1;

    /// <summary>CLONE_THREAD: the clone makes a thread of this process, not a new process.</summary>
    public const uint CloneThread = 0x00010000;

    /// <summary>Every CLONE_NEW* flag clone(2) can carry (CLONE_NEWTIME only fits clone3/unshare).</summary>
    public const uint CloneNewFlags = 0x00020000 /* NEWNS */ | 0x02000000 /* NEWCGROUP */ | 0x04000000 /* NEWUTS */
        | 0x08000000 /* NEWIPC */ | 0x10000000 /* NEWUSER */ | 0x20000000 /* NEWPID */ | 0x40000000 /* NEWNET */;

    /// <summary>struct sock_fprog.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct SockFprog
    {
        public ushort Length;
        public SockFilter* Filter;
    }

    /// <summary>The filter program for one architecture and the socket families the policy allows.</summary>
    public static SockFilter[] BuildProgram(SeccompSyscalls syscalls, IReadOnlyList<int> socketFamilies)
    {
        var b = new SeccompProgramBuilder();

        // A syscall made through another ABI (e.g. int 0x80 on x86_64) has other numbers: never let one through.
        b.Load(SeccompProgramBuilder.OffsetArch)
            .JumpIfEqual(syscalls.AuditArch, SeccompProgramBuilder.Next, "kill");

        b.Load(SeccompProgramBuilder.OffsetNr);
        if (syscalls.RefuseX32)
        {
            // x32 syscalls are the x86_64 numbers with bit 30 set: they would slip past every comparison below.
            b.JumpIfAtLeast(SeccompSyscalls.X32SyscallBit, "eperm");
        }

        foreach (var number in syscalls.Refused.Values)
        {
            b.JumpIfEqual(number, "eperm");
        }

        b.JumpIfEqual(syscalls.Socket, "socket")
            .JumpIfEqual(syscalls.CloneSyscall, "clone")
            // clone3 passes its flags in a struct the filter cannot read: ENOSYS makes glibc fall back to clone.
            .JumpIfEqual(syscalls.Clone3, "enosys")
            .Return(RetAllow);

        // socket(domain, type, protocol): the kernel reads domain as an int, the low half of args[0].
        b.Label("socket").Load(SeccompProgramBuilder.OffsetArgLow(0));
        foreach (var family in socketFamilies.Distinct())
        {
            b.JumpIfEqual((uint)family, "allow");
        }

        b.Return(RetErrno | LinuxSyscalls.EACCES);

        // clone(flags, ...): threads only. A new process (fork, vfork, clone without CLONE_THREAD) would inherit the
        // control channel and outlive its parent; new namespaces are refused too.
        b.Label("clone").Load(SeccompProgramBuilder.OffsetArgLow(0))
            .JumpIfAnyBit(CloneNewFlags, "eperm")
            .JumpIfAnyBit(CloneThread, "allow")
            .Return(RetErrno | LinuxSyscalls.EPERM);

        b.Label("enosys").Return(RetErrno | LinuxSyscalls.ENOSYS);
        b.Label("eperm").Return(RetErrno | LinuxSyscalls.EPERM);
        b.Label("allow").Return(RetAllow);
        b.Label("kill").Return(RetKillProcess);
        return b.Build();
    }

    /// <summary>
    /// Installs the filter on every thread of this process. Sets no_new_privs first (needed without CAP_SYS_ADMIN;
    /// already set in a process stage 1 started).
    /// </summary>
    public static ConfinementReport Install(ConfinementPolicy policy)
    {
        var syscalls = SeccompSyscalls.ForCurrentProcess();
        if (syscalls is null)
        {
            return new ConfinementReport([], [$"seccomp unavailable on {RuntimeInformation.ProcessArchitecture}: dangerous syscalls are not filtered"]);
        }

        Capabilities.SetNoNewPrivs();
        var program = BuildProgram(syscalls, policy.SocketFamilies);
        long result;
        fixed (SockFilter* filter = program)
        {
            var prog = new SockFprog { Length = (ushort)program.Length, Filter = filter };
            result = LinuxSyscalls.Syscall(syscalls.Seccomp, SetModeFilter, FilterFlagTsync, (long)&prog, 0, 0);
        }

        if (result < 0)
        {
            var errno = LinuxSyscalls.LastErrno;
            if (errno is LinuxSyscalls.ENOSYS or LinuxSyscalls.EINVAL)
            {
                return new ConfinementReport([], [$"seccomp filters unavailable ({LinuxSyscalls.Describe(errno)}): dangerous syscalls are not filtered"]);
            }

            throw new InvalidOperationException($"seccomp(SECCOMP_SET_MODE_FILTER, TSYNC) failed: {LinuxSyscalls.Describe(errno)}");
        }

        if (result > 0)
        {
            throw new InvalidOperationException($"seccomp TSYNC failed: thread {result} already has an incompatible filter");
        }

        var families = policy.SocketFamilies.Count == 0
            ? "none"
            : string.Join(", ", policy.SocketFamilies.Select(f => f.ToString(CultureInfo.InvariantCulture)));
        return new ConfinementReport(
            [
                $"seccomp ({syscalls.Name}, all threads): {syscalls.Refused.Count} syscalls refused, namespaces refused, clone3 ENOSYS",
                $"seccomp: socket() only for address families {families}",
            ],
            []);
    }
}

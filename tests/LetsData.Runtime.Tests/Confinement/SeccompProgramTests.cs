using LetsData.Runtime.Confinement;

namespace LetsData.Runtime.Tests.Confinement;

/// <summary>
/// The seccomp program, run by a small classic-BPF interpreter over made-up seccomp_data: checks the decisions for
/// both architectures' tables without a kernel (the kernel-side checks are in <see cref="ProcessConfinementTests"/>).
/// </summary>
public class SeccompProgramTests
{
    private const uint Eperm = SeccompFilter.RetErrno | 1;
    private const uint Eacces = SeccompFilter.RetErrno | 13;
    private const uint Enosys = SeccompFilter.RetErrno | 38;

    private static readonly string[] Architectures = ["x86_64", "arm64"];

    [TestCaseSource(nameof(Architectures))]
    public void RefusedSyscallsGetEpermOthersAreAllowed(string architecture)
    {
        var table = TableOf(architecture);
        var program = SeccompFilter.BuildProgram(table, []);

        Assert.Multiple(() =>
        {
            foreach (var (name, number) in table.Refused)
            {
                Assert.That(Run(program, table.AuditArch, number), Is.EqualTo(Eperm), name);
            }

            Assert.That(Run(program, table.AuditArch, 0), Is.EqualTo(SeccompFilter.RetAllow), "syscall 0 (read / io_setup)");
            Assert.That(Run(program, table.AuditArch, table.Clone3), Is.EqualTo(Enosys), "clone3");
        });
    }

    [TestCaseSource(nameof(Architectures))]
    public void AnotherArchitectureKillsTheProcess(string architecture)
    {
        var table = TableOf(architecture);
        var program = SeccompFilter.BuildProgram(table, []);

        Assert.That(Run(program, 0x40000003 /* AUDIT_ARCH_I386 */, 0), Is.EqualTo(SeccompFilter.RetKillProcess));
    }

    [Test]
    public void X32SyscallsAreRefusedOnX64()
    {
        var program = SeccompFilter.BuildProgram(SeccompSyscalls.X64, []);

        Assert.That(Run(program, SeccompSyscalls.X64.AuditArch, 0x40000000 | 59 /* x32 execve */), Is.EqualTo(Eperm));
    }

    [TestCaseSource(nameof(Architectures))]
    public void SocketsOnlyOfAllowedFamilies(string architecture)
    {
        var table = TableOf(architecture);
        var program = SeccompFilter.BuildProgram(table, [2, 10]);

        Assert.Multiple(() =>
        {
            Assert.That(Run(program, table.AuditArch, table.Socket, 2), Is.EqualTo(SeccompFilter.RetAllow), "AF_INET");
            Assert.That(Run(program, table.AuditArch, table.Socket, 10), Is.EqualTo(SeccompFilter.RetAllow), "AF_INET6");
            Assert.That(Run(program, table.AuditArch, table.Socket, 1), Is.EqualTo(Eacces), "AF_UNIX");
            Assert.That(Run(program, table.AuditArch, table.Socket, 16), Is.EqualTo(Eacces), "AF_NETLINK");
            Assert.That(Run(SeccompFilter.BuildProgram(table, []), table.AuditArch, table.Socket, 2), Is.EqualTo(Eacces), "none allowed");
        });
    }

    [TestCaseSource(nameof(Architectures))]
    public void CloneWithANamespaceFlagIsRefused(string architecture)
    {
        var table = TableOf(architecture);
        var program = SeccompFilter.BuildProgram(table, []);
        const uint threadFlags = 0x003D0F00; // CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID

        Assert.Multiple(() =>
        {
            Assert.That(Run(program, table.AuditArch, table.CloneSyscall, threadFlags), Is.EqualTo(SeccompFilter.RetAllow), "a thread");
            Assert.That(Run(program, table.AuditArch, table.CloneSyscall, 17 /* SIGCHLD: fork */), Is.EqualTo(Eperm), "fork (a new process)");
            Assert.That(Run(program, table.AuditArch, table.CloneSyscall, 0x4111 /* CLONE_VM|CLONE_VFORK|SIGCHLD: vfork, posix_spawn */), Is.EqualTo(Eperm), "vfork");
            foreach (var flag in new uint[] { 0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000 })
            {
                Assert.That(Run(program, table.AuditArch, table.CloneSyscall, threadFlags | flag), Is.EqualTo(Eperm), $"flag 0x{flag:X}");
            }
        });
    }

    [Test]
    public void BuilderRefusesBackwardAndUndefinedJumps()
    {
        var undefined = new SeccompProgramBuilder().JumpIfEqual(1, "nowhere").Return(SeccompFilter.RetAllow);
        var backward = new SeccompProgramBuilder().Label("top").Return(SeccompFilter.RetAllow).JumpIfEqual(1, "top");

        Assert.That(undefined.Build, Throws.InvalidOperationException);
        Assert.That(backward.Build, Throws.InvalidOperationException);
    }

    private static SeccompSyscalls TableOf(string architecture) => architecture == "x86_64" ? SeccompSyscalls.X64 : SeccompSyscalls.Arm64;

    /// <summary>Runs the classic BPF instructions the builder emits over a seccomp_data of (nr, arch, args[0]).</summary>
    private static uint Run(SockFilter[] program, uint arch, uint nr, uint arg0 = 0)
    {
        uint accumulator = 0;
        for (var pc = 0; pc < program.Length; pc++)
        {
            var instruction = program[pc];
            switch (instruction.Code)
            {
                case SeccompProgramBuilder.BpfLd | SeccompProgramBuilder.BpfW | SeccompProgramBuilder.BpfAbs:
                    accumulator = instruction.K switch
                    {
                        SeccompProgramBuilder.OffsetNr => nr,
                        SeccompProgramBuilder.OffsetArch => arch,
                        16 => arg0,
                        _ => 0,
                    };
                    break;
                case SeccompProgramBuilder.BpfJmp | SeccompProgramBuilder.BpfJeq:
                    pc += accumulator == instruction.K ? instruction.JumpTrue : instruction.JumpFalse;
                    break;
                case SeccompProgramBuilder.BpfJmp | SeccompProgramBuilder.BpfJge:
                    pc += accumulator >= instruction.K ? instruction.JumpTrue : instruction.JumpFalse;
                    break;
                case SeccompProgramBuilder.BpfJmp | SeccompProgramBuilder.BpfJset:
                    pc += (accumulator & instruction.K) != 0 ? instruction.JumpTrue : instruction.JumpFalse;
                    break;
                case SeccompProgramBuilder.BpfRet:
                    return instruction.K;
                default:
                    throw new InvalidOperationException($"Unexpected instruction 0x{instruction.Code:X} at {pc}");
            }
        }

        throw new InvalidOperationException("The program ran off its end.");
    }
}

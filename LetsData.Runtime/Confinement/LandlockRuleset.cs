using System.Globalization;

namespace LetsData.Runtime.Confinement;

/// <summary>
/// A Landlock ruleset built from a <see cref="ConfinementPolicy"/>: it handles every right the kernel's ABI knows
/// (so anything without a rule is refused), allows the policy's paths and TCP ports, and scopes signals and abstract
/// unix sockets to the domain. <see cref="RestrictSelf"/> confines the calling thread (and what it execs).
/// </summary>
internal sealed unsafe class LandlockRuleset : IDisposable
{
    private const ulong ReadOnlyRights = Landlock.FsReadFile | Landlock.FsReadDir;
    private const ulong ReadExecuteRights = ReadOnlyRights | Landlock.FsExecute;

    /// <summary>Everything inside a folder except making device nodes (and executing).</summary>
    private const ulong ReadWriteRights = ReadOnlyRights | Landlock.FsWriteFile | Landlock.FsRemoveDir
        | Landlock.FsRemoveFile | Landlock.FsMakeDir | Landlock.FsMakeReg | Landlock.FsMakeSock | Landlock.FsMakeFifo
        | Landlock.FsMakeSym | Landlock.FsRefer | Landlock.FsTruncate | Landlock.FsIoctlDev;

    private readonly int _abi;
    private readonly ulong _handledFs;
    private int _fd;

    private LandlockRuleset(int abi, int fd, ulong handledFs)
    {
        _abi = abi;
        _fd = fd;
        _handledFs = handledFs;
    }

    /// <summary>
    /// The ruleset for the policy, or null when the kernel has no Landlock. Adds to the report lists what it will
    /// confine once restricted, what this kernel cannot confine, and which paths did not exist (skipped).
    /// </summary>
    public static LandlockRuleset? Create(ConfinementPolicy policy, List<string> applied, List<string> missing)
    {
        var abi = Landlock.Abi();
        if (abi == 0)
        {
            missing.Add("Landlock unavailable: file access is not confined");
            missing.Add("Landlock unavailable: TCP connections are not confined");
            missing.Add("Landlock unavailable: signals and abstract unix sockets are not scoped");
            return null;
        }

        var attr = new Landlock.RulesetAttr
        {
            HandledAccessFs = Landlock.FsRightsOf(abi),
            HandledAccessNet = Landlock.NetRightsOf(abi),
            Scoped = Landlock.ScopesOf(abi),
        };
        var fd = LinuxSyscalls.Syscall(LinuxSyscalls.SysLandlockCreateRuleset, (long)&attr, sizeof(Landlock.RulesetAttr), 0, 0, 0);
        if (fd < 0)
        {
            throw new InvalidOperationException($"landlock_create_ruleset (ABI {abi}) failed: {LinuxSyscalls.Describe(LinuxSyscalls.LastErrno)}");
        }

        var ruleset = new LandlockRuleset(abi, (int)fd, attr.HandledAccessFs);
        try
        {
            var skipped = new List<string>();
            ruleset.AddPaths(policy.ReadOnlyPaths, ReadOnlyRights, skipped);
            ruleset.AddPaths(policy.ReadExecutePaths, ReadExecuteRights, skipped);
            ruleset.AddPaths(policy.ReadWritePaths, ReadWriteRights, skipped);
            if (abi >= 4)
            {
                foreach (var port in policy.TcpConnectPorts)
                {
                    ruleset.AddConnectPort(port);
                }
            }

            ruleset.Describe(policy, skipped, applied, missing);
            return ruleset;
        }
        catch
        {
            ruleset.Dispose();
            throw;
        }
    }

    /// <summary>Confines the calling thread (no_new_privs must be set first). Irreversible; an execve keeps it.</summary>
    public void RestrictSelf()
    {
        if (LinuxSyscalls.Syscall(LinuxSyscalls.SysLandlockRestrictSelf, _fd, 0, 0, 0, 0) != 0)
        {
            throw new InvalidOperationException($"landlock_restrict_self failed: {LinuxSyscalls.Describe(LinuxSyscalls.LastErrno)}");
        }
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            LinuxSyscalls.Close(_fd);
            _fd = -1;
        }
    }

    private void AddPaths(IReadOnlyList<string> paths, ulong rights, List<string> skipped)
    {
        foreach (var path in paths)
        {
            var native = LinuxSyscalls.ToNativeUtf8(path);
            int pathFd;
            try
            {
                pathFd = LinuxSyscalls.Open(native, LinuxSyscalls.O_PATH | LinuxSyscalls.O_CLOEXEC, 0);
            }
            finally
            {
                System.Runtime.InteropServices.NativeMemory.Free(native);
            }

            if (pathFd < 0)
            {
                var errno = LinuxSyscalls.LastErrno;
                if (errno == LinuxSyscalls.ENOENT)
                {
                    skipped.Add(path);
                    continue;
                }

                throw new InvalidOperationException($"open({path}, O_PATH) for a Landlock rule failed: {LinuxSyscalls.Describe(errno)}");
            }

            try
            {
                // A rule on a file (or device, socket...) may only carry file rights.
                var allowed = rights & _handledFs;
                if (!Directory.Exists(path))
                {
                    allowed &= Landlock.FsFileRights;
                }

                var attr = new Landlock.PathBeneathAttr { AllowedAccess = allowed, ParentFd = pathFd };
                if (LinuxSyscalls.Syscall(LinuxSyscalls.SysLandlockAddRule, _fd, Landlock.RuleTypePathBeneath, (long)&attr, 0, 0) != 0)
                {
                    throw new InvalidOperationException($"landlock_add_rule({path}) failed: {LinuxSyscalls.Describe(LinuxSyscalls.LastErrno)}");
                }
            }
            finally
            {
                LinuxSyscalls.Close(pathFd);
            }
        }
    }

    private void AddConnectPort(int port)
    {
        if (port is < 0 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(port), port, "A TCP port is 0..65535.");
        }

        var attr = new Landlock.NetPortAttr { AllowedAccess = Landlock.NetConnectTcp, Port = (ulong)port };
        if (LinuxSyscalls.Syscall(LinuxSyscalls.SysLandlockAddRule, _fd, Landlock.RuleTypeNetPort, (long)&attr, 0, 0) != 0)
        {
            throw new InvalidOperationException($"landlock_add_rule(TCP connect {port}) failed: {LinuxSyscalls.Describe(LinuxSyscalls.LastErrno)}");
        }
    }

    private void Describe(ConfinementPolicy policy, List<string> skipped, List<string> applied, List<string> missing)
    {
        var ruled = policy.ReadOnlyPaths.Count + policy.ReadExecutePaths.Count + policy.ReadWritePaths.Count - skipped.Count;
        applied.Add($"Landlock ABI {_abi}: file access confined to {ruled} path(s)");
        foreach (var path in skipped)
        {
            missing.Add($"Landlock: {path} does not exist, no rule added");
        }

        if (_abi < 3)
        {
            missing.Add($"Landlock ABI {_abi} < 3: truncating files is not confined");
        }

        if (_abi >= 4)
        {
            var ports = policy.TcpConnectPorts.Count == 0 ? "none" : string.Join(", ", policy.TcpConnectPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)));
            applied.Add($"Landlock: TCP connect only to port(s) {ports}, TCP bind refused");
        }
        else
        {
            missing.Add($"Landlock ABI {_abi} < 4: TCP connections are not confined");
        }

        if (_abi < 5)
        {
            missing.Add($"Landlock ABI {_abi} < 5: device ioctls are not confined");
        }

        if (_abi >= 6)
        {
            applied.Add("Landlock: signals and abstract unix sockets scoped to the domain");
        }
        else
        {
            missing.Add($"Landlock ABI {_abi} < 6: signals and abstract unix sockets are not scoped");
        }
    }
}

namespace LetsData.Runtime.Confinement;

/// <summary>
/// Confines a Linux process in two stages. Landlock's restrict_self and capset apply to the calling thread only, and a
/// .NET process already runs many threads, so stage 1 (<see cref="ConfineThenExec"/>) confines one thread and execs:
/// the new image starts with that single thread, and every thread it makes inherits the Landlock domain,
/// no_new_privs and the empty capability sets. Stage 2 (<see cref="InstallSeccompFilter"/>), first thing in the
/// exec'd process, adds a seccomp filter to all its threads at once. On other systems <see cref="IsSupported"/> is
/// false and callers start the process unconfined.
/// </summary>
public static unsafe class ProcessConfinement
{
    /// <summary>True on Linux, the only system with these mechanisms (what the kernel lacks is reported, not fatal).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>The kernel's Landlock ABI version; 0 when Landlock is unavailable (or not Linux).</summary>
    public static int LandlockAbi() => Landlock.Abi();

    /// <summary>
    /// Stage 1, on the calling thread, in this order: sets no_new_privs, drops every capability (bounding, ambient,
    /// effective, permitted, inheritable), restricts itself with a Landlock ruleset for <paramref name="policy"/>, then
    /// execve's <paramref name="path"/>. The exec'd process finds this stage's report in its environment
    /// (<see cref="ConfinementReport.FromStage1Variable"/>). Returns only by throwing: when a step fails, or when
    /// execve does (after which the calling thread is confined: the caller should exit).
    /// Start the process that calls this with DOTNET_EnableDiagnostics=0: its runtime creates a diagnostics socket and
    /// debugger pipes in /tmp named after the pid, which the exec (same pid) leaves behind for good, and the exec'd
    /// runtime cannot create its own (the names are taken, and /tmp is outside the policy anyway).
    /// </summary>
    /// <param name="policy">What the exec'd process may touch.</param>
    /// <param name="path">The program to exec; it must be inside <see cref="ConfinementPolicy.ReadExecutePaths"/> (and so
    /// must its ELF interpreter), as the exec already happens under Landlock.</param>
    /// <param name="argv">The whole argument vector, argv[0] included (usually <paramref name="path"/>).</param>
    /// <param name="environment">The whole environment of the new process (nothing is inherited).</param>
    public static void ConfineThenExec(ConfinementPolicy policy, string path, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> environment)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("Process confinement needs Linux; start the process unconfined.");
        }

        // Everything that allocates native memory or opens files happens before the thread is restricted.
        var nativePath = LinuxSyscalls.ToNativeUtf8(path);
        var nativeArgv = LinuxSyscalls.ToNativeStringArray(argv);

        var applied = new List<string>();
        var missing = new List<string>();
        Capabilities.SetNoNewPrivs();
        applied.Add("no_new_privs set");
        Capabilities.DropAll(applied, missing);

        using var ruleset = LandlockRuleset.Create(policy, applied, missing);

        var report = new ConfinementReport(applied, missing).Encode();
        var variables = environment
            .Where(pair => pair.Key != ConfinementReport.Stage1Variable)
            .Select(pair => $"{pair.Key}={pair.Value}")
            .Append($"{ConfinementReport.Stage1Variable}={report}")
            .ToList();
        var nativeEnvironment = LinuxSyscalls.ToNativeStringArray(variables);

        ruleset?.RestrictSelf();
        LinuxSyscalls.Execve(nativePath, nativeArgv, nativeEnvironment);
        var errno = LinuxSyscalls.LastErrno;
        throw new InvalidOperationException($"execve({path}) failed after confining this thread: {LinuxSyscalls.Describe(errno)}");
    }

    /// <summary>
    /// Stage 2: installs the seccomp filter for <paramref name="policy"/> on every thread of this process. Call it first
    /// thing in a process <see cref="ConfineThenExec"/> started. Returns what it applied and what this system lacks.
    /// </summary>
    public static ConfinementReport InstallSeccompFilter(ConfinementPolicy policy)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("seccomp needs Linux.");
        }

        return SeccompFilter.Install(policy);
    }
}

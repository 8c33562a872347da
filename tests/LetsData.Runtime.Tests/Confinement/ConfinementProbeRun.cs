using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text.Json;
using LetsData.Runtime.Confinement;

namespace LetsData.Runtime.Tests.Confinement;

/// <summary>What the confined probe (tests/ConfinementProbe) said: the report of both stages, and each action's outcome.</summary>
internal sealed record ConfinementProbeRun(ConfinementReport Report, IReadOnlyDictionary<string, ProbeOutcome> Outcomes, string Output)
{
    /// <summary>Where the probe is built: this test project builds it (ProjectReference, ReferenceOutputAssembly="false").</summary>
    public static string ProbeFolder => ProbeFolderLazy.Value;

    private static readonly Lazy<string> ProbeFolderLazy = new(FindProbeFolder);

    public ProbeOutcome this[string action] =>
        Outcomes.TryGetValue(action, out var outcome) ? outcome : throw new AssertionException($"No outcome for {action} in:\n{Output}");

    /// <summary>What the probe needs to start and run: the runtime's paths (the dotnet root this test runs on, the
    /// probe's folder, the system libraries) and nothing else.</summary>
    public static ConfinementPolicy RuntimePolicy() => new()
    {
        ReadOnlyPaths = ConfinementPolicy.DotnetRuntimeReadOnlyPaths,
        ReadExecutePaths = [DotnetRoot, ProbeFolder, "/usr/lib", "/lib", "/lib64", "/usr/lib64"],
    };

    /// <summary>Confines the probe with <paramref name="policy"/> and has it try <paramref name="actions"/>.</summary>
    public static ConfinementProbeRun Run(ConfinementPolicy policy, params string[] actions) => Run(policy, expectedExitCode: 0, actions);

    /// <summary>Like <see cref="Run(ConfinementPolicy, string[])"/>, for a probe expected to exit with another code
    /// (3: stage 1 failed and printed {"stage1Error": ...}).</summary>
    public static ConfinementProbeRun Run(ConfinementPolicy policy, int expectedExitCode, params string[] actions)
    {
        var start = new ProcessStartInfo(Path.Combine(ProbeFolder, "ConfinementProbe"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("stage1");
        start.ArgumentList.Add(JsonSerializer.Serialize(policy));
        foreach (var action in actions)
        {
            start.ArgumentList.Add(action);
        }

        // The apphost must find the runtime this test runs on (the policy allows exactly that one).
        start.Environment["DOTNET_ROOT"] = DotnetRoot;
        // Stage 1 would leave its diagnostics socket and debugger pipes in /tmp: after the exec (same pid) nothing
        // removes them, and the confined stage 2 could not anyway.
        start.Environment["DOTNET_EnableDiagnostics"] = "0";

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        // A safety net against a hung probe, not a timing assertion.
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill();
            Assert.Fail($"The probe did not exit. Output so far:\n{output}");
        }

        var all = $"exit code {process.ExitCode}\n{output}\nstderr:\n{error.Result}";
        Assert.That(process.ExitCode, Is.EqualTo(expectedExitCode), all);
        ConfinementReport? report = null;
        var outcomes = new Dictionary<string, ProbeOutcome>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            if (root.TryGetProperty("report", out var r))
            {
                report = new ConfinementReport(Strings(r.GetProperty("applied")), Strings(r.GetProperty("missing")));
            }
            else if (root.TryGetProperty("action", out var action))
            {
                outcomes[action.GetString()!] = new ProbeOutcome(
                    root.GetProperty("ok").GetBoolean(), root.GetProperty("errno").GetInt32(), root.GetProperty("detail").GetString()!);
            }
        }

        Assert.That(report is not null || expectedExitCode != 0, all);
        return new ConfinementProbeRun(report ?? new ConfinementReport([], []), outcomes, all);
    }

    /// <summary>Ignores the test where the kernel cannot give what it checks.</summary>
    public static void RequireLinux(int landlockAbi = 1)
    {
        if (!ProcessConfinement.IsSupported)
        {
            Assert.Ignore("Process confinement is Linux only.");
        }

        if (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64))
        {
            Assert.Ignore($"The seccomp filter knows x86_64 and arm64, not {RuntimeInformation.ProcessArchitecture}.");
        }

        var abi = ProcessConfinement.LandlockAbi();
        if (abi < landlockAbi)
        {
            Assert.Ignore($"Needs Landlock ABI {landlockAbi}; this kernel has {abi}.");
        }
    }

    /// <summary>The dotnet root the test host runs on (shared/Microsoft.NETCore.App/&lt;version&gt;/ is three levels below).</summary>
    private static string DotnetRoot =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static string FindProbeFolder()
    {
        var assembly = typeof(ConfinementProbeRun).Assembly;
        var configuration = assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var framework = new FrameworkName(assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);
        var tfm = $"net{framework.Version.Major}.{framework.Version.Minor}";
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var folder = Path.Combine(dir.FullName, "ConfinementProbe", "bin", configuration, tfm);
            if (File.Exists(Path.Combine(folder, "ConfinementProbe.dll")))
            {
                return folder;
            }
        }

        throw new InvalidOperationException($"tests/ConfinementProbe is not built above {TestContext.CurrentContext.TestDirectory}; build tests/LetsData.Runtime.Tests (it builds the probe).");
    }
}

/// <summary>One action's outcome in the probe: whether it worked, else the errno (0 when it failed another way).</summary>
internal sealed record ProbeOutcome(bool Ok, int Errno, string Detail);

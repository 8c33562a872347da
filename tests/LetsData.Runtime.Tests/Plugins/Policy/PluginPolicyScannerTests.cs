using LetsData.Runtime.Plugins.Policy;

namespace LetsData.Runtime.Tests.Plugins.Policy;

public class PluginPolicyScannerTests
{
    private const string Violators = "PolicyViolators";
    private const string Namespace = "LetsData.TestPlugins.PolicyViolators.";

    private static PolicyScanResult ScanViolators() => PluginPolicyScanner.Scan(TestPluginBuilds.PathOf(Violators), PluginPolicy.Default);

    private static IEnumerable<TestCaseData> FencedUses()
    {
        yield return Case("ProcessStarter", "StartShell", "System.Diagnostics.Process.Start(string)", PolicyRules.ProcessControl);
        yield return Case("SocketOpener", "Open",
            "System.Net.Sockets.Socket..ctor(System.Net.Sockets.AddressFamily, System.Net.Sockets.SocketType, System.Net.Sockets.ProtocolType)",
            PolicyRules.Network);
        yield return Case("HttpCaller", "Fetch", "System.Net.Http.HttpClient..ctor()", PolicyRules.Network);
        yield return Case("FileWriter", "Write", "System.IO.File.WriteAllText(string, string)", PolicyRules.FileSystem);
        yield return Case("FileWriter", "OpenWriter", "System.IO.StreamWriter..ctor(string)", PolicyRules.FileSystem);
        yield return Case("FileReader", "ReadCredentials", "System.IO.File.ReadAllText(string)", PolicyRules.FileSystem);
        yield return Case("EnvironmentReader", "ReadSecret", "System.Environment.GetEnvironmentVariable(string)",
            PolicyRules.EnvironmentAndCredentials);
        yield return Case("AssemblyFromBytesLoader", "Load", "System.Reflection.Assembly.Load(byte[])", PolicyRules.AssemblyLoading);
        yield return Case("EmitUser", "Create", "System.Reflection.Emit.DynamicMethod..ctor(string, System.Type, System.Type[])",
            PolicyRules.CodeGeneration);
        yield return Case("NativeGetenv", "getenv", "extern libc!getenv (P/Invoke)", PolicyRules.NativeCode);
        yield return Case("FunctionPointerCaller", "Call",
            "calli with the unmanaged calling convention Unmanaged (function pointer to native code)", PolicyRules.NativeCode);
        yield return Case("MarshalReader", "Peek", "System.Runtime.InteropServices.Marshal.ReadInt32(nint)", PolicyRules.UnmanagedMemory);
        yield return Case("ThreadStarter", "Start", "System.Threading.Thread..ctor(System.Threading.ThreadStart)", PolicyRules.BackgroundWork);
        yield return Case("ThreadStarter", "Start", "System.Threading.Thread.Start()", PolicyRules.BackgroundWork);
        yield return Case("TimerStarter", "Start", "System.Threading.Timer..ctor(System.Threading.TimerCallback, object, int, int)",
            PolicyRules.BackgroundWork);
        yield return Case("TaskStarter", "Start", "System.Threading.Tasks.Task.Run(System.Action)", PolicyRules.BackgroundWork);
        yield return Case("StringReflection", "FindProcess", "System.Type.GetType(string)", PolicyRules.LateBoundReflection);
        yield return Case("LateBoundInvoker", "Call", "System.Reflection.MethodBase.Invoke(object, object[])", PolicyRules.LateBoundReflection);
        yield return Case("GenericArgument", "Create", "System.Diagnostics.Process", PolicyRules.ProcessControl);
        yield return Case("AfterSwitch", "KillAfterSwitch", "System.Diagnostics.Process.Kill()", PolicyRules.ProcessControl);
        yield return Case("ViolatingParser", "ParseDocument", null, null);
    }

    private static TestCaseData Case(string type, string method, string? member, string? rule) =>
        new TestCaseData(type, method, member, rule).SetName($"{type}.{method} is refused for {member ?? "nothing"}");

    [TestCaseSource(nameof(FencedUses))]
    public void EachFencedUseIsNamedWithItsAssemblyTypeMethodAndRule(string type, string method, string? member, string? rule)
    {
        var result = ScanViolators();

        var refused = result.Refused.Single();
        var fromMethod = refused.Violations.Where(v => v.UsingType == Namespace + type && v.UsingMethod == method).ToList();
        if (member is null)
        {
            // The parser only calls the plugin's own EnvironmentReader: the fenced call is reported there, not here.
            Assert.That(fromMethod, Is.Empty);
            return;
        }

        var expected = new PolicyViolation(Violators, Namespace + type, method, member, rule!);
        Assert.That(fromMethod, Does.Contain(expected), () => string.Join("\n", refused.Violations));
        Assert.That(refused.Problems(), Does.Contain($"{Violators}: {Namespace}{type}.{method} uses {member} ({rule})"));
    }

    [Test]
    public void TheViolatingPluginIsRefusedAsThePluginItself()
    {
        var result = ScanViolators();

        Assert.That(result.IsAllowed, Is.False);
        var refused = result.Refused.Single();
        Assert.That(refused.Name, Is.EqualTo(Violators));
        Assert.That(refused.IsPluginAssembly, Is.True);
        Assert.That(refused.PinnedSha256, Is.Null);
        Assert.That(refused.Sha256, Has.Length.EqualTo(64));
    }

    [Test]
    public void EachUseIsReportedOnceAndNotAgainAsAnUnusedReference()
    {
        var violations = ScanViolators().Refused.Single().Violations;

        Assert.That(violations, Is.Unique);
        Assert.That(violations.Where(v => v.UsingMethod is null), Is.Empty, () => string.Join("\n", violations));
        // Socket's constructor is one use, not one per fenced enum in its signature.
        Assert.That(violations.Count(v => v.UsingType == Namespace + "SocketOpener"), Is.EqualTo(1));
    }

    [Test]
    public void ACleanPluginPasses()
    {
        var result = PluginPolicyScanner.Scan(TestPluginBuilds.PathOf("GoodParser"), PluginPolicy.Default);

        Assert.That(result.Refused.SelectMany(r => r.Problems()), Is.Empty);
        Assert.That(result.Scanned, Is.EqualTo(new[] { "GoodParser" }));
    }

    // The policy gates datasets (run, validate), not PluginLoader.Load: the loader tests keep loading these directly.
    // Their own code passes; only the Newtonsoft.Json they ship needs an allow entry.
    [TestCase("BrokenPlugins")]
    [TestCase("MissingDependencyPlugin")]
    [TestCase("OwnContractCopyPlugin")]
    [TestCase("NewerContractPlugin")]
    [TestCase("NewtonsoftV12Plugin")]
    [TestCase("NewtonsoftV13Plugin")]
    public void TheOtherTestPluginsOwnCodePasses(string plugin)
    {
        var result = PluginPolicyScanner.Scan(TestPluginBuilds.PathOf(plugin), PluginPolicy.Default);

        Assert.That(result.Scanned, Does.Contain(plugin));
        Assert.That(result.Refused.Where(r => r.Name != "Newtonsoft.Json").SelectMany(r => r.Problems()), Is.Empty);
    }

    [Test]
    public void TheSamplePluginPassesTheDefaultPolicy()
    {
        var result = PluginPolicyScanner.Scan(SamplePluginBuild.PathOf(), PluginPolicy.Default);

        Assert.That(result.Refused.SelectMany(r => r.Problems()), Is.Empty);
        Assert.That(result.Scanned, Does.Contain("LetsData.Plugins.Samples"));
    }

    [Test]
    public void TheContractAssemblyInAPluginFolderIsNotScanned()
    {
        // OwnContractCopyPlugin ships a private LetsData.Interfaces.dll next to it; the host's copy is the one used.
        var result = PluginPolicyScanner.Scan(TestPluginBuilds.PathOf("OwnContractCopyPlugin"), PluginPolicy.Default);

        Assert.That(result.Scanned, Does.Not.Contain("LetsData.Interfaces"));
        Assert.That(result.Scanned, Does.Contain("OwnContractCopyPlugin"));
    }

    [Test]
    public void AFileThatIsNotADotNetAssemblyIsRefused()
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        File.WriteAllBytes(Path.Combine(copy.Folder, "libnative.dll"), [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0]);

        var result = PluginPolicyScanner.Scan(copy.AssemblyPath, PluginPolicy.Default);

        var refused = result.Refused.Single();
        Assert.That(refused.Name, Is.EqualTo("libnative"));
        Assert.That(refused.IsPluginAssembly, Is.False);
        Assert.That(refused.Violations.Single().Rule, Is.EqualTo(PolicyRules.NativeCode));
    }

    [Test]
    public void AMissingPluginGivesAnEmptyResultForTheLoaderToReport()
    {
        var result = PluginPolicyScanner.Scan(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "None.dll"), PluginPolicy.Default);

        Assert.That(result.IsAllowed, Is.True);
        Assert.That(result.Scanned, Is.Empty);
    }

    [Test]
    [Explicit("prints the scan time of the sample plugin; asserts nothing about time")]
    public void ReportScanTimeOfTheSamplePlugin()
    {
        var path = SamplePluginBuild.PathOf();
        var first = PluginPolicyScanner.Scan(path, PluginPolicy.Default);
        var cpuBefore = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var warm = Enumerable.Range(0, 20).Select(_ => PluginPolicyScanner.Scan(path, PluginPolicy.Default).Elapsed.TotalMilliseconds).Order().ToList();
        var cpuPerScan = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / 20;

        // Wall-clock figures suffer from other processes on a busy machine; the process CPU time per scan does less so.
        TestContext.Out.WriteLine($"sample plugin scan: first {first.Elapsed.TotalMilliseconds:F1} ms (includes JIT), warm median {warm[10]:F2} ms, " +
            $"process CPU per warm scan {cpuPerScan:F2} ms");
        var newtonsoft = TestPluginBuilds.PathOf("NewtonsoftV13Plugin");
        PluginPolicyScanner.Scan(newtonsoft, PluginPolicy.Default);
        var big = Enumerable.Range(0, 5).Select(_ => PluginPolicyScanner.Scan(newtonsoft, PluginPolicy.Default).Elapsed.TotalMilliseconds).Order().ToList();
        TestContext.Out.WriteLine($"NewtonsoftV13Plugin folder scan (Newtonsoft.Json 13, refused): warm median {big[2]:F1} ms");
        Assert.That(first.IsAllowed, Is.True);
    }
}

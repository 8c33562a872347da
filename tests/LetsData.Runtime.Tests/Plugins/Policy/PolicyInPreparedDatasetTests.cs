using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using LetsData.Runtime.Hosting;
using LetsData.Runtime.Plugins.Policy;
using LetsData.Runtime.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace LetsData.Runtime.Tests.Plugins.Policy;

/// <summary>The policy as run and validate meet it: checked before the plugin loads, refusals as problems, allow entries printed.</summary>
public class PolicyInPreparedDatasetTests
{
    private string _root = "";

    [SetUp]
    public void CreateFolder()
    {
        _root = Path.Combine(Path.GetTempPath(), "letsdata-policy-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(_root, "input"));
        File.WriteAllText(Path.Combine(_root, "input", "a.json"), "{}\n");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_root, recursive: true);

    private string WriteDataset(string plugin, string parserClass, JsonNode? pluginPolicy = null) =>
        LocalFilesDataset.Write(_root, "Policy1", TestPluginBuilds.PathOf(plugin), parserClass, "a.json", concurrency: 1, pluginPolicy);

    private async Task<(int ExitCode, string Output)> ValidateAsync(string datasetFile)
    {
        var output = new StringWriter();
        var exitCode = await new ValidateCommand(Microsoft.Extensions.Logging.Abstractions.NullLogger<ValidateCommand>.Instance)
            .ExecuteAsync(new CommandLine("validate", datasetFile, _root, null) { InProcess = true }, output, CancellationToken.None);
        return (exitCode, output.ToString());
    }

    [Test]
    public void ARefusedPluginIsNeverLoadedAndEachUseIsAProblem()
    {
        var problems = new List<string>();

        using var prepared = PreparedDataset.TryPrepare(
            WriteDataset("PolicyViolators", "LetsData.TestPlugins.PolicyViolators.ViolatingParser"), _root, problems);

        Assert.That(prepared, Is.Null);
        Assert.That(problems, Does.Contain("readConnector.artifactFile: policy: PolicyViolators: " +
            "LetsData.TestPlugins.PolicyViolators.ProcessStarter.StartShell uses System.Diagnostics.Process.Start(string) (process start or control)"));
        Assert.That(problems, Has.All.StartsWith("readConnector.artifactFile: policy: PolicyViolators: "));
        Assert.That(AssemblyLoadContext.All.SelectMany(context => context.Assemblies).Select(a => a.GetName().Name),
            Does.Not.Contain("PolicyViolators"), "the policy check runs before any plugin code is loaded");
    }

    [Test]
    public async Task ValidateSaysThePluginItselfUsesFencedApis()
    {
        var (exitCode, output) = await ValidateAsync(WriteDataset("PolicyViolators", "LetsData.TestPlugins.PolicyViolators.ViolatingParser"));

        Assert.That(exitCode, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output, Does.Contain("The plugin's own assembly PolicyViolators uses fenced APIs itself"));
        Assert.That(output, Does.Not.Contain("To allow these reviewed dependencies"));
    }

    [Test]
    public async Task ValidatePrintsTheAllowEntryThatLetsThePluginLoad()
    {
        const string parser = "LetsData.TestPlugins.Newtonsoft.NewtonsoftVersionParser";
        var (exitCode, output) = await ValidateAsync(WriteDataset("NewtonsoftV13Plugin", parser));
        Assert.That(exitCode, Is.EqualTo(ExitCodes.Failed));
        Assert.That(output, Does.Contain("FAIL readConnector.artifactFile: policy: Newtonsoft.Json: "));
        var entryLine = output.Split('\n').Select(line => line.Trim()).Single(line => line.StartsWith("{ \"assembly\": \"Newtonsoft.Json\"", StringComparison.Ordinal));

        var policy = JsonNode.Parse($"{{ \"allow\": [ {entryLine} ] }}", documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        var (allowedExitCode, allowedOutput) = await ValidateAsync(WriteDataset("NewtonsoftV13Plugin", parser, policy));

        // The exit code is not asserted: this test plugin's record hints do not suit a smoke run, which is not the point here.
        Assert.That(allowedOutput, Does.Not.Contain("artifactFile: policy:"), allowedOutput);
        Assert.That(allowedOutput, Does.Contain("ok   plugin policy: 1 assembly scanned in ").And.Contain("allowed without scan (pinned by pluginPolicy): Newtonsoft.Json"));
        Assert.That(allowedOutput, Does.Contain("ok   plugin NewtonsoftV13Plugin "), "the plugin was loaded after the policy check passed");
    }

    [Test]
    public void ACleanPluginPassesThePolicyCheckInPreparation()
    {
        var problems = new List<string>();
        var path = WriteDataset("GoodParser", "LetsData.TestPlugins.GoodParser.CountingParser");

        using var prepared = PreparedDataset.TryPrepare(path, _root, problems);

        Assert.That(problems.Where(p => p.Contains("policy", StringComparison.Ordinal)), Is.Empty);
        Assert.That(prepared?.PolicyScan?.Scanned, Is.EqualTo(new[] { "GoodParser" }));
    }

    [Test]
    public void RunScansAndLoadsThePluginOnce_FromTheShadowCopyHotUpdateStartsWith()
    {
        var problems = new List<string>();
        var path = WriteDataset("GoodParser", "LetsData.TestPlugins.GoodParser.CountingParser");

        using var prepared = PreparedDataset.TryPrepareForRun(path, _root, problems, pluginCacheDirectory: null);

        Assert.That(prepared, Is.Not.Null, string.Join("; ", problems));
        var copy = prepared!.ShadowCopy!;
        Assert.That(prepared.Plugin!.AssemblyPath, Is.EqualTo(copy.AssemblyPath).And.Not.EqualTo(TestPluginBuilds.PathOf("GoodParser")),
            "the dropped files are never loaded");
        Assert.That(prepared.PolicyScan!.Scanned, Is.EqualTo(new[] { "GoodParser" }));
        var run = new CommandLine("run", path, _root, null) { StateDirectory = Path.Combine(_root, "state") };
        using (var hotUpdate = HotPluginUpdate.TryStart(prepared, run, NullLogger.Instance, problems))
        {
            Assert.That(hotUpdate, Is.Not.Null, string.Join("; ", problems));
            using var lease = hotUpdate!.Host!.Acquire();
            Assert.That(lease.Binding, Is.SameAs(prepared.Binding), "version 1 is the plugin prepare scanned and loaded, not a second copy");
        }

        Assert.That(copy.Folder, Does.Not.Exist, "the host removes the copy it took over");
    }

    [Test]
    public void RunPreparationProblemsNameTheDroppedBuild_NotItsShadowCopy()
    {
        var problems = new List<string>();

        using var prepared = PreparedDataset.TryPrepareForRun(WriteDataset("GoodParser", "LetsData.TestPlugins.GoodParser.NoSuchParser"), _root,
            problems, pluginCacheDirectory: null);

        Assert.That(prepared, Is.Null);
        Assert.That(problems, Has.Some.Contains(TestPluginBuilds.PathOf("GoodParser")).And.Contains("NoSuchParser"));
        Assert.That(problems, Has.None.Contains("letsdata-shadow"));
    }

    // Data-task process 1 scans the plugin folder under the default policy before it has read the dataset (PolicyScanAhead).
    private const string NewtonsoftParser = "LetsData.TestPlugins.Newtonsoft.NewtonsoftVersionParser";

    private PreparedDataset? PrepareInDataTask(string datasetFile, string plugin, PolicyScanAhead scanAhead, List<string> problems) =>
        PreparedDataset.TryPrepareInDataTask(datasetFile, _root, manifestText: null, TestPluginBuilds.PathOf(plugin), problems, out _, scanAhead);

    [Test]
    public void AScanBegunAheadIsTheScanWhenTheDatasetKeepsTheDefaultPolicy()
    {
        var problems = new List<string>();
        var scanAhead = PolicyScanAhead.Start(TestPluginBuilds.PathOf("GoodParser"));

        using var prepared = PrepareInDataTask(WriteDataset("GoodParser", "LetsData.TestPlugins.GoodParser.CountingParser"), "GoodParser", scanAhead,
            problems);

        Assert.That(prepared, Is.Not.Null, string.Join("; ", problems));
        Assert.That(prepared!.PolicyScan, Is.SameAs(scanAhead.ResultFor(TestPluginBuilds.PathOf("GoodParser"), PluginPolicy.Default)),
            "the folder was scanned once, ahead");
    }

    [Test]
    public void ARefusalFoundAheadIsTheDatasetsProblem_AndNothingLoads()
    {
        var problems = new List<string>();
        var scanAhead = PolicyScanAhead.Start(TestPluginBuilds.PathOf("PolicyViolators"));

        using var prepared = PrepareInDataTask(WriteDataset("PolicyViolators", "LetsData.TestPlugins.PolicyViolators.ViolatingParser"),
            "PolicyViolators", scanAhead, problems);

        Assert.That(prepared, Is.Null);
        Assert.That(problems, Is.Not.Empty.And.All.StartsWith("readConnector.artifactFile: policy: PolicyViolators: "));
        Assert.That(AssemblyLoadContext.All.SelectMany(context => context.Assemblies).Select(a => a.GetName().Name),
            Does.Not.Contain("PolicyViolators"));
    }

    [Test]
    public void ADatasetsAllowEntryIsHonoured_ThoughTheScanAheadUnderTheDefaultPolicyRefused()
    {
        var pluginPath = TestPluginBuilds.PathOf("NewtonsoftV13Plugin");
        var scanAhead = PolicyScanAhead.Start(pluginPath);
        var entry = scanAhead.ResultFor(pluginPath, PluginPolicy.Default)!.Refused.Single().SuggestedAllowEntry;
        var policy = JsonNode.Parse($"{{ \"allow\": [ {entry.ToJson()} ] }}");
        var problems = new List<string>();

        using var prepared = PrepareInDataTask(WriteDataset("NewtonsoftV13Plugin", NewtonsoftParser, policy), "NewtonsoftV13Plugin", scanAhead, problems);

        Assert.That(problems, Has.None.Contains("policy:"), string.Join("; ", problems));
        Assert.That(prepared?.PolicyScan?.Allowed, Is.EqualTo(new[] { "Newtonsoft.Json" }), "scanned again under the dataset's policy");
    }

    [Test]
    public void AScanAheadOfAnotherAssemblyIsNotUsed()
    {
        var scanAhead = PolicyScanAhead.Start(TestPluginBuilds.PathOf("NewtonsoftV13Plugin"));

        Assert.That(scanAhead.ResultFor(TestPluginBuilds.PathOf("GoodParser"), PluginPolicy.Default), Is.Null);
        Assert.That(scanAhead.ResultFor(TestPluginBuilds.PathOf("NewtonsoftV13Plugin"), PluginPolicy.Default)!.IsAllowed, Is.False);
    }
}

using System.Runtime.Loader;
using Amazon.Runtime;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Tests.Plugins;

/// <summary>
/// A plugin's load context reaches the contract, the .NET shared framework and its own folder, never the worker's
/// assemblies. WorkerReachPlugin compiles against AWSSDK.Core without shipping it, hoping to be handed the worker's copy.
/// </summary>
[TestFixture]
public sealed class WorkerIsolationTests
{
    private const string Plugin = "WorkerReachPlugin";
    private const string NotVisible = "the worker's own assemblies are not visible to plugins";

    private LoadedPlugin _plugin = null!;
    private ISingleFileParser _parser = null!;

    [OneTimeSetUp]
    public void Load()
    {
        // The worker's assemblies are loaded in this process: what the plugin must not get is really there.
        Assert.That(typeof(AWSCredentials).Assembly.Location, Does.Exist);
        Assert.That(typeof(RuntimeCredentials).Assembly.GetName().Name, Is.EqualTo("letsdata"));
        Assert.That(Path.Combine(TestPluginBuilds.FolderOf(Plugin), "AWSSDK.Core.dll"), Does.Not.Exist,
            "precondition: the plugin does not ship AWSSDK.Core");

        _plugin = PluginLoader.Load(TestPluginBuilds.PathOf(Plugin));
        _parser = _plugin.CreateFactory<ISingleFileParser>(null).CreateForTask();
    }

    [OneTimeTearDown]
    public void Unload() => _plugin.Dispose();

    // The runtime reports any failed load with its own generic FileNotFoundException; the context's exception, which
    // says why, is its inner exception.
    [Test]
    public void CallingIntoTheWorkersAwsSdk_FailsNamingTheAssembly()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ParserCalls.ParseValues(_parser, "use-aws-sdk"))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.FileName, Does.StartWith("AWSSDK.Core, Version="));
            Assert.That(error.InnerException, Is.InstanceOf<FileNotFoundException>());
            Assert.That(error.InnerException?.Message,
                Does.StartWith("Could not load AWSSDK.Core, Version=").And.Contain("for plugin WorkerReachPlugin.dll").And.Contain(NotVisible));
        });
    }

    [Test]
    public void TypeOfAWorkerType_IsNotReachable()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ParserCalls.ParseValues(_parser, "typeof-aws-type"))!;

        Assert.That(PluginLoadContext.RefusalIn(error), Does.StartWith("Could not load AWSSDK.Core").And.Contain(NotVisible));
    }

    [Test]
    public void TheHostsMessages_SayWhyTheAssemblyWasRefused()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ParserCalls.ParseValues(_parser, "use-aws-sdk"))!;
        var callSite = new PluginCallSite(Plugin);
        callSite.Enter("ParseDocument", "LINES", "input.txt", 0);

        Assert.Multiple(() =>
        {
            Assert.That(callSite.Describe(error), Does.Contain("threw in ParseDocument").And.Contain(NotVisible), "a task error");
            Assert.That(DependencyFailure.ToPluginLoadException(_plugin.AssemblyPath, null, error).Reason,
                Does.StartWith("a dependency of the plugin could not be loaded: Could not load AWSSDK.Core").And.Contain(NotVisible), "a load error");
        });
    }

    [TestCase("aws-type-by-name")]
    [TestCase("worker-type-by-name")]
    public void WorkerTypesByName_AreNotFound(string probe)
    {
        Assert.That(ParserCalls.ParseValues(_parser, probe)["result"], Is.EqualTo("<not found>"));
        using (_plugin.EnterContextualReflection())
        {
            Assert.That(ParserCalls.ParseValues(_parser, probe)["result"], Is.EqualTo("<not found>"), "under contextual reflection too");
        }
    }

    [Test]
    public void LoadingTheWorkerAssemblyByName_Fails()
    {
        var result = (string)ParserCalls.ParseValues(_parser, "load-worker-assembly")["result"]!;

        Assert.That(result, Does.StartWith("<FileNotFoundException: Could not load file or assembly 'letsdata"),
            "the plugin sees the runtime's generic message; the reason stays with the host");
    }

    [Test]
    public void ThePluginsContextHoldsOnlyItsOwnFiles_FrameworkAndContractComeFromTheHost()
    {
        ParserCalls.ParseValues(_parser, "aws-type-by-name");
        var context = AssemblyLoadContext.GetLoadContext(_plugin.Assembly)!;
        var folder = TestPluginBuilds.FolderOf(Plugin);

        Assert.Multiple(() =>
        {
            Assert.That(context.Assemblies.Select(a => a.GetName().Name), Has.None.EqualTo("AWSSDK.Core").And.None.EqualTo("letsdata"));
            Assert.That(context.Assemblies.Select(a => Path.GetDirectoryName(a.Location)), Has.All.EqualTo(folder));
            Assert.That(_parser.GetType().GetInterfaces(), Has.Member(typeof(ISingleFileParser)), "the host's contract");
            Assert.That(AssemblyLoadContext.GetLoadContext(typeof(Dictionary<string, object>).Assembly), Is.SameAs(AssemblyLoadContext.Default));
        });
    }

    [TestCase("AWSSDK.Core")]
    [TestCase("letsdata")]
    [TestCase("Microsoft.Extensions.Logging.Abstractions")]
    public void AnyPluginsContext_RefusesWorkerAssemblies_InsteadOfFallingBackToTheDefaultContext(string workerAssembly)
    {
        using var plugin = PluginLoader.Load(TestPluginBuilds.PathOf("GoodParser"));
        var context = AssemblyLoadContext.GetLoadContext(plugin.Assembly)!;

        var error = Assert.Throws<FileNotFoundException>(() => context.LoadFromAssemblyName(new System.Reflection.AssemblyName(workerAssembly)))!;

        Assert.That(PluginLoadContext.RefusalIn(error), Does.StartWith($"Could not load {workerAssembly}").And.Contain(NotVisible));
    }
}

using System.Runtime.Loader;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Tests.Plugins;

[TestFixture]
public sealed class PluginLoaderTests
{
    private static readonly Version HostContractVersion = typeof(IDocument).Assembly.GetName().Version!;

    [Test]
    public void Load_ReportsNamePathAndContractVersion()
    {
        var path = TestPluginBuilds.PathOf("GoodParser");

        using var plugin = PluginLoader.Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(plugin.Name, Is.EqualTo("GoodParser"));
            Assert.That(plugin.AssemblyPath, Is.EqualTo(path));
            Assert.That(plugin.Assembly.GetName().Name, Is.EqualTo("GoodParser"));
            Assert.That(plugin.ContractVersion, Is.EqualTo(new Version(1, 0, 0, 0)));
            Assert.That(plugin.IsUnloaded, Is.False);
        });
    }

    [Test]
    public void Load_PutsEachPluginInItsOwnCollectibleContext()
    {
        var path = TestPluginBuilds.PathOf("GoodParser");

        using var first = PluginLoader.Load(path);
        using var second = PluginLoader.Load(path);

        var firstContext = AssemblyLoadContext.GetLoadContext(first.Assembly)!;
        var secondContext = AssemblyLoadContext.GetLoadContext(second.Assembly)!;
        Assert.Multiple(() =>
        {
            Assert.That(firstContext, Is.Not.SameAs(AssemblyLoadContext.Default));
            Assert.That(firstContext.IsCollectible, Is.True);
            Assert.That(secondContext, Is.Not.SameAs(firstContext));
            Assert.That(second.Assembly, Is.Not.SameAs(first.Assembly));
        });
    }

    [Test]
    public void Load_MissingFile_SaysNotFoundAndWhatTheFolderHolds()
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        var path = Path.Combine(copy.Folder, "GoodParsr.dll");

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(path))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.PluginFile, Is.EqualTo(path));
            Assert.That(error.TypeName, Is.Null);
            Assert.That(error.Reason, Does.Contain("plugin assembly not found"));
            Assert.That(error.Reason, Does.Contain("GoodParser.dll"), "lists the assemblies that are there");
            Assert.That(error.Message, Does.StartWith(path + ": plugin assembly not found"));
        });
    }

    [Test]
    public void Load_MissingFolder_SaysTheFolderDoesNotExist()
    {
        var path = Path.Combine(Path.GetTempPath(), "letsdata-plugin-tests", Guid.NewGuid().ToString("N"), "Nothing.dll");

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(path))!;

        Assert.That(error.Reason, Does.Contain("plugin assembly not found").And.Contain("does not exist"));
    }

    [Test]
    public void Load_FolderInsteadOfAssembly_SaysWhichFileToGive()
    {
        var folder = TestPluginBuilds.FolderOf("GoodParser");

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(folder))!;

        Assert.That(error.Reason, Is.EqualTo($"this is a folder; give the plugin's main assembly, e.g. {Path.Combine(folder, "GoodParser.dll")}"));
    }

    [Test]
    public void Load_MissingDepsJson_IsAClearError()
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        copy.Delete("GoodParser.deps.json");

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(copy.AssemblyPath))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.PluginFile, Is.EqualTo(copy.AssemblyPath));
            Assert.That(error.TypeName, Is.Null);
            Assert.That(error.Reason, Does.Contain("GoodParser.deps.json is missing"));
            Assert.That(error.Message, Does.StartWith(copy.AssemblyPath + ": GoodParser.deps.json is missing"));
        });
    }

    [Test]
    public void Load_FileThatIsNotADotNetAssembly_IsAClearError()
    {
        using var copy = PluginFolderCopy.Of("GoodParser");
        File.WriteAllText(copy.AssemblyPath, "not a PE file");

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(copy.AssemblyPath))!;

        Assert.That(error.Reason, Does.StartWith("not a .NET assembly"));
    }

    [Test]
    public void Load_PluginBuiltAgainstNewerContract_IsRefusedNamingBothVersions_BeforeItsCodeLoads()
    {
        var path = TestPluginBuilds.PathOf("NewerContractPlugin");

        var error = Assert.Throws<PluginLoadException>(() => PluginLoader.Load(path))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.PluginFile, Is.EqualTo(path));
            Assert.That(error.TypeName, Is.Null);
            Assert.That(error.Reason, Does.Contain("built against LetsData.Interfaces 2.0.0.0"));
            Assert.That(error.Reason, Does.Contain($"this runtime has LetsData.Interfaces {HostContractVersion}"));
            Assert.That(AssemblyLoadContext.All.SelectMany(c => c.Assemblies).Select(a => a.GetName().Name),
                Has.None.EqualTo("NewerContractPlugin"), "refused from its metadata, without loading it");
        });
    }

    [Test]
    public void Load_PluginShippingItsOwnContractCopy_BindsToTheHostContract()
    {
        var folder = TestPluginBuilds.FolderOf("OwnContractCopyPlugin");
        Assert.That(Path.Combine(folder, "LetsData.Interfaces.dll"), Does.Exist, "precondition: the plugin folder carries its own contract copy");

        using var plugin = PluginLoader.Load(TestPluginBuilds.PathOf("OwnContractCopyPlugin"));
        var parser = plugin.CreateFactory<ISingleFileParser>(null).CreateForTask();
        var result = parser.ParseDocument("LINES", "input.txt", 0, "abc"u8);

        var pluginContext = AssemblyLoadContext.GetLoadContext(plugin.Assembly)!;
        Assert.Multiple(() =>
        {
            Assert.That(parser.GetType().GetInterfaces(), Has.Member(typeof(ISingleFileParser)));
            Assert.That(result.Document, Is.InstanceOf<Document>());
            Assert.That(((Document)result.Document!).KeyValues["length"], Is.EqualTo(3));
            Assert.That(pluginContext.Assemblies.Select(a => a.GetName().Name), Has.None.EqualTo("LetsData.Interfaces"),
                "the plugin's private copy of the contract is never loaded");
        });
    }

    [Test]
    public void Load_TwoPluginsWithDifferentNewtonsoftVersions_EachRunsAgainstItsOwn()
    {
        using var v12 = PluginLoader.Load(TestPluginBuilds.PathOf("NewtonsoftV12Plugin"));
        using var v13 = PluginLoader.Load(TestPluginBuilds.PathOf("NewtonsoftV13Plugin"));

        var seenByV12 = ParserCalls.ParseValues(v12.CreateFactory<ISingleFileParser>(null).CreateForTask());
        var seenByV13 = ParserCalls.ParseValues(v13.CreateFactory<ISingleFileParser>(null).CreateForTask());

        Assert.Multiple(() =>
        {
            Assert.That(seenByV12["newtonsoftVersion"], Is.EqualTo("12.0.0.0"));
            Assert.That(seenByV13["newtonsoftVersion"], Is.EqualTo("13.0.0.0"));
            Assert.That(seenByV12["newtonsoftFileVersion"], Does.StartWith("12.0.3"));
            Assert.That(seenByV13["newtonsoftFileVersion"], Does.StartWith("13.0.4"));
            Assert.That(Path.GetDirectoryName((string)seenByV12["newtonsoftLocation"]!), Is.EqualTo(Path.GetDirectoryName(v12.AssemblyPath)));
            Assert.That(Path.GetDirectoryName((string)seenByV13["newtonsoftLocation"]!), Is.EqualTo(Path.GetDirectoryName(v13.AssemblyPath)));
            Assert.That(seenByV12["json"], Is.EqualTo("[1,2,3]"));
            Assert.That(seenByV13["json"], Is.EqualTo("[1,2,3]"));
        });
    }
}

using LetsData.Interfaces.Readers;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Tests.Plugins;

[TestFixture]
public sealed class FindImplementationTests
{
    private const string GoodNamespace = "LetsData.TestPlugins.GoodParser";
    private const string BrokenNamespace = "LetsData.TestPlugins.BrokenPlugins";
    private const string ParserContract = "LetsData.Interfaces.Readers.ISingleFileParser";

    private LoadedPlugin _good = null!;
    private LoadedPlugin _broken = null!;

    [OneTimeSetUp]
    public void LoadPlugins()
    {
        _good = PluginLoader.Load(TestPluginBuilds.PathOf("GoodParser"));
        _broken = PluginLoader.Load(TestPluginBuilds.PathOf("BrokenPlugins"));
    }

    [OneTimeTearDown]
    public void UnloadPlugins()
    {
        _good.Dispose();
        _broken.Dispose();
    }

    [Test]
    public void NamedClass_IsFound()
    {
        var type = _good.FindImplementation(typeof(ISingleFileParser), $"{GoodNamespace}.CountingParser");

        Assert.That(type.FullName, Is.EqualTo($"{GoodNamespace}.CountingParser"));
        Assert.That(type.Assembly, Is.SameAs(_good.Assembly));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("  ")]
    public void NoClassName_FindsTheOnlyImplementation(string? className)
    {
        var type = _good.FindImplementation(typeof(IKinesisRecordReader), className);

        Assert.That(type.FullName, Is.EqualTo($"{GoodNamespace}.EchoKinesisReader"));
    }

    [Test]
    public void NoClassName_TwoImplementations_ListsBoth()
    {
        var error = Assert.Throws<PluginLoadException>(() => _good.FindImplementation(typeof(ISingleFileParser), null))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.PluginFile, Is.EqualTo(_good.AssemblyPath));
            Assert.That(error.TypeName, Is.Null);
            Assert.That(error.Reason, Does.StartWith($"2 public classes implement {ParserContract}: "));
            Assert.That(error.Reason, Does.Contain($"{GoodNamespace}.CountingParser").And.Contain($"{GoodNamespace}.SharedCountingParser"));
            Assert.That(error.Reason, Does.Contain("name the one to use in the dataset configuration"));
            Assert.That(error.Message, Does.StartWith($"{_good.AssemblyPath}: 2 public classes implement"));
        });
    }

    [Test]
    public void NoClassName_NoImplementation_SaysSo()
    {
        var error = Assert.Throws<PluginLoadException>(() => _good.FindImplementation(typeof(IQueueMessageReader), null))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.TypeName, Is.Null);
            Assert.That(error.Reason, Is.EqualTo("no public concrete class implements LetsData.Interfaces.Readers.IQueueMessageReader"));
        });
    }

    [Test]
    public void NoClassName_OnlyUnusableImplementations_ListsThemWithWhy()
    {
        var error = Assert.Throws<PluginLoadException>(() => _broken.FindImplementation(typeof(IDynamoDBTableItemReader), null))!;

        Assert.That(error.Reason, Does.StartWith("no public concrete class implements LetsData.Interfaces.Readers.IDynamoDBTableItemReader")
            .And.Contain($"{BrokenNamespace}.InternalTableReader (the class is not public"));
    }

    [TestCase($"{GoodNamespace}.CountingParsr", TestName = "NotFound_Typo_SuggestsTheClass")]
    [TestCase("letsdata.testplugins.goodparser.countingparser", TestName = "NotFound_WrongCase_SuggestsTheClass")]
    [TestCase("LetsData.Plugins.CountingParser", TestName = "NotFound_WrongNamespace_SuggestsTheClass")]
    public void NotFound_SuggestsSimilarNames(string className)
    {
        var error = Assert.Throws<PluginLoadException>(() => _good.FindImplementation(typeof(ISingleFileParser), className))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.PluginFile, Is.EqualTo(_good.AssemblyPath));
            Assert.That(error.TypeName, Is.EqualTo(className));
            Assert.That(error.Reason, Does.StartWith($"class not found in the plugin; did you mean {GoodNamespace}.CountingParser"));
            Assert.That(error.Message, Is.EqualTo($"{_good.AssemblyPath}: {className}: {error.Reason}"));
        });
    }

    [Test]
    public void NotFound_NothingSimilar_ListsTheImplementations()
    {
        var error = Assert.Throws<PluginLoadException>(() => _good.FindImplementation(typeof(ISingleFileParser), "Completely.Unrelated"))!;

        Assert.That(error.Reason, Is.EqualTo(
            $"class not found in the plugin; classes implementing {ParserContract}: {GoodNamespace}.CountingParser, {GoodNamespace}.SharedCountingParser"));
    }

    [Test]
    public void NotPublic_IsRefused()
    {
        var error = FindBroken("InternalParser");

        Assert.That(error.Reason, Does.Contain("the class is not public"));
    }

    [Test]
    public void Abstract_IsRefused()
    {
        var error = FindBroken("AbstractLineParser");

        Assert.That(error.Reason, Does.StartWith("is abstract"));
    }

    [Test]
    public void Interface_IsRefused()
    {
        var error = FindBroken("ICustomLineParser");

        Assert.That(error.Reason, Does.StartWith("is an interface"));
    }

    [Test]
    public void WrongInterface_IsRefusedSayingWhatItImplements()
    {
        var error = FindBroken("KinesisOnlyReader");

        Assert.That(error.Reason, Is.EqualTo(
            $"does not implement {ParserContract} (it implements LetsData.Interfaces.Readers.IKinesisRecordReader)"));
    }

    [Test]
    public void NoParameterlessConstructor_IsRefusedListingTheConstructors()
    {
        var error = FindBroken("ParserWithSettings");

        Assert.That(error.Reason, Does.StartWith("has no public parameterless constructor")
            .And.Contain("(String settingsFile, Int32 bufferSize)"));
    }

    [Test]
    public void CreateFactory_RunsTheSameChecks()
    {
        var error = Assert.Throws<PluginLoadException>(() => _broken.CreateFactory<ISingleFileParser>($"{BrokenNamespace}.KinesisOnlyReader"))!;

        Assert.That(error.Reason, Does.StartWith($"does not implement {ParserContract}"));
    }

    [Test]
    public void WithItsDependency_APluginDerivingFromALibraryClassWorks()
    {
        // Control for the missing-dependency tests: the same plugin, intact.
        using var plugin = PluginLoader.Load(TestPluginBuilds.PathOf("MissingDependencyPlugin"));

        var derived = plugin.CreateFactory<ISingleFileParser>("LetsData.TestPlugins.MissingDependencyPlugin.DerivedParser").CreateForTask();
        var splitter = plugin.CreateFactory<ISingleFileParser>("LetsData.TestPlugins.MissingDependencyPlugin.SplitterParser").CreateForTask();

        Assert.That(derived.S3FileType, Is.EqualTo("LINES"));
        Assert.That(ParserCalls.ParseValues(splitter, "a\nb")["lines"], Is.EqualTo(2));
    }

    [TestCase("LetsData.TestPlugins.MissingDependencyPlugin.DerivedParser")]
    [TestCase(null)]
    public void MissingDependency_WhileResolvingTypes_NamesTheMissingAssembly(string? className)
    {
        using var copy = PluginFolderCopy.Of("MissingDependencyPlugin");
        copy.Delete("MissingDependencyLib.dll");
        using var plugin = PluginLoader.Load(copy.AssemblyPath);

        var error = Assert.Throws<PluginLoadException>(() => plugin.FindImplementation(typeof(ISingleFileParser), className))!;

        Assert.Multiple(() =>
        {
            Assert.That(error.PluginFile, Is.EqualTo(copy.AssemblyPath));
            Assert.That(error.TypeName, Is.EqualTo(className));
            Assert.That(error.Reason, Does.StartWith("a dependency of the plugin could not be loaded: MissingDependencyLib 1.0.0.0 (not found)"));
        });
    }

    [Test]
    public void MissingDependency_UsedOnlyByTheConstructor_NamesTheMissingAssembly()
    {
        using var copy = PluginFolderCopy.Of("MissingDependencyPlugin");
        copy.Delete("MissingDependencyLib.dll");
        using var plugin = PluginLoader.Load(copy.AssemblyPath);
        var factory = plugin.CreateFactory<ISingleFileParser>("LetsData.TestPlugins.MissingDependencyPlugin.SplitterParser");

        var error = Assert.Throws<PluginLoadException>(() => factory.CreateForTask())!;

        Assert.Multiple(() =>
        {
            Assert.That(error.TypeName, Is.EqualTo("LetsData.TestPlugins.MissingDependencyPlugin.SplitterParser"));
            Assert.That(error.Reason, Does.StartWith("constructor threw: ").And.Contain("MissingDependencyLib"));
            Assert.That(error.InnerException, Is.InstanceOf<FileNotFoundException>());
        });
    }

    private PluginLoadException FindBroken(string simpleName)
    {
        var className = $"{BrokenNamespace}.{simpleName}";
        var error = Assert.Throws<PluginLoadException>(() => _broken.FindImplementation(typeof(ISingleFileParser), className))!;
        Assert.Multiple(() =>
        {
            Assert.That(error.PluginFile, Is.EqualTo(_broken.AssemblyPath));
            Assert.That(error.TypeName, Is.EqualTo(className));
            Assert.That(error.Message, Is.EqualTo($"{_broken.AssemblyPath}: {className}: {error.Reason}"));
        });
        return error;
    }
}

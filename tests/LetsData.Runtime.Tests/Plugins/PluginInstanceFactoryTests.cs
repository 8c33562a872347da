using LetsData.Interfaces.Readers;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Tests.Plugins;

[TestFixture]
public sealed class PluginInstanceFactoryTests
{
    private const string StatefulParser = "LetsData.TestPlugins.GoodParser.CountingParser";
    private const string StatelessParser = "LetsData.TestPlugins.GoodParser.SharedCountingParser";

    // A fresh load per test: the plugins' static instance counters start from zero, and no shared
    // instance exists yet.
    private LoadedPlugin _good = null!;
    private LoadedPlugin _broken = null!;

    [SetUp]
    public void LoadPlugins()
    {
        _good = PluginLoader.Load(TestPluginBuilds.PathOf("GoodParser"));
        _broken = PluginLoader.Load(TestPluginBuilds.PathOf("BrokenPlugins"));
    }

    [TearDown]
    public void UnloadPlugins()
    {
        _good.Dispose();
        _broken.Dispose();
    }

    [Test]
    public void Stateful_GivesEveryTaskItsOwnInstance()
    {
        var factory = _good.CreateFactory<ISingleFileParser>(StatefulParser);

        var first = factory.CreateForTask();
        var second = factory.CreateForTask();
        var firstValues = ParserCalls.ParseValues(first);
        var secondValues = ParserCalls.ParseValues(second);

        Assert.Multiple(() =>
        {
            Assert.That(factory.IsStateless, Is.False);
            Assert.That(factory.ImplementationType.FullName, Is.EqualTo(StatefulParser));
            Assert.That(second, Is.Not.SameAs(first));
            Assert.That(firstValues["instance"], Is.EqualTo(1));
            Assert.That(secondValues["instance"], Is.EqualTo(2));
            Assert.That(secondValues["recordsParsed"], Is.EqualTo(1), "the second task's parser has its own state");
        });
    }

    [Test]
    public void Stateless_SharesOneInstanceBetweenTasks()
    {
        var factory = _good.CreateFactory<ISingleFileParser>(StatelessParser);

        var first = factory.CreateForTask();
        var second = factory.CreateForTask();
        ParserCalls.ParseValues(first);
        var secondValues = ParserCalls.ParseValues(second);

        Assert.Multiple(() =>
        {
            Assert.That(factory.IsStateless, Is.True);
            Assert.That(second, Is.SameAs(first));
            Assert.That(secondValues["instance"], Is.EqualTo(1));
            Assert.That(secondValues["recordsParsed"], Is.EqualTo(2));
        });
    }

    [Test]
    public void Stateless_ConcurrentFirstCalls_CreateOneInstance()
    {
        var factory = _good.CreateFactory<ISingleFileParser>(StatelessParser);
        const int tasks = 8;
        using var start = new Barrier(tasks);

        var instances = Enumerable.Range(0, tasks)
            .Select(_ => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                return factory.CreateForTask();
            }, TaskCreationOptions.LongRunning))
            .ToArray();
        Task.WaitAll(instances);

        var distinct = instances.Select(t => t.Result).Distinct(ReferenceEqualityComparer.Instance).ToList();
        Assert.That(distinct, Has.Count.EqualTo(1));
        Assert.That(ParserCalls.ParseValues((ISingleFileParser)distinct[0]!)["instance"], Is.EqualTo(1), "the constructor ran once");
    }

    [Test]
    public void ConstructorThrows_ReportsItsMessageWithTheOriginalException()
    {
        var factory = _broken.CreateFactory<ISingleFileParser>("LetsData.TestPlugins.BrokenPlugins.ThrowingParser");

        var error = Assert.Throws<PluginLoadException>(() => factory.CreateForTask())!;

        Assert.Multiple(() =>
        {
            Assert.That(error.PluginFile, Is.EqualTo(_broken.AssemblyPath));
            Assert.That(error.TypeName, Is.EqualTo("LetsData.TestPlugins.BrokenPlugins.ThrowingParser"));
            Assert.That(error.Reason, Is.EqualTo("constructor threw: setting 'region' is missing"));
            Assert.That(error.Message, Is.EqualTo(
                $"{_broken.AssemblyPath}: LetsData.TestPlugins.BrokenPlugins.ThrowingParser: constructor threw: setting 'region' is missing"));
            Assert.That(error.InnerException, Is.TypeOf<InvalidOperationException>());
        });
    }

    [Test]
    public void Stateless_ConstructorFailure_IsNotRemembered()
    {
        var factory = _broken.CreateFactory<ISingleFileParser>("LetsData.TestPlugins.BrokenPlugins.FailsOnceStatelessParser");

        var error = Assert.Throws<PluginLoadException>(() => factory.CreateForTask())!;
        var instance = factory.CreateForTask();

        Assert.Multiple(() =>
        {
            Assert.That(factory.IsStateless, Is.True);
            Assert.That(error.Reason, Is.EqualTo("constructor threw: warm-up call timed out"));
            Assert.That(error.InnerException, Is.TypeOf<TimeoutException>());
            Assert.That(factory.CreateForTask(), Is.SameAs(instance));
        });
    }

    [Test]
    public void Factory_ForAnInheritedContract_CreatesTheImplementation()
    {
        var factory = _good.CreateFactory<IKinesisRecordReader>(null);

        var reader = factory.CreateForTask();
        var result = reader.ParseMessage("arn", "shard-1", "key", "42", DateTimeOffset.UnixEpoch, "payload"u8);

        Assert.That(result.Document!.DocumentId, Is.EqualTo("42"));
    }
}

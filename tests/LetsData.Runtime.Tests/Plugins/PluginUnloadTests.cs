using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Plugins;

namespace LetsData.Runtime.Tests.Plugins;

[TestFixture]
public sealed class PluginUnloadTests
{
    private const string StatelessParser = "LetsData.TestPlugins.GoodParser.SharedCountingParser";
    private const int MaxCollections = 10;

    [Test]
    public void Unload_LetsASimplePluginBeCollected()
    {
        var context = LoadUseAndUnload(keep: null);

        Assert.That(WaitUntilCollected(context), Is.True, "the plugin's load context is still alive after unloading");
    }

    [Test]
    public void Unload_PluginAndFactoriesStillReferenced_DoNotKeepThePluginAlive()
    {
        var kept = new List<object>();

        var context = LoadUseAndUnload(kept);

        Assert.That(WaitUntilCollected(context), Is.True, "a LoadedPlugin or factory held after Unload pins the plugin");
        GC.KeepAlive(kept);
    }

    [Test]
    public void AfterUnload_ThePluginAndItsFactoriesRefuseToWork()
    {
        var plugin = PluginLoader.Load(TestPluginBuilds.PathOf("GoodParser"));
        var context = AssemblyLoadContext.GetLoadContext(plugin.Assembly)!;
        var factory = plugin.CreateFactory<ISingleFileParser>(StatelessParser);
        factory.CreateForTask();

        var first = plugin.Unload();
        var second = plugin.Unload();
        plugin.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That(AssemblyLoadContext.All, Has.No.Member(context), "unloading started right away, not left to a finalizer");
            Assert.That(first.Target, Is.SameAs(context));
            Assert.That(second, Is.SameAs(first), "unloading twice is harmless");
            Assert.That(plugin.IsUnloaded, Is.True);
            Assert.That(plugin.Name, Is.EqualTo("GoodParser"));
            Assert.Throws<ObjectDisposedException>(() => _ = plugin.Assembly);
            Assert.Throws<ObjectDisposedException>(() => plugin.FindImplementation(typeof(ISingleFileParser), StatelessParser));
            Assert.Throws<ObjectDisposedException>(() => plugin.CreateFactory<ISingleFileParser>(StatelessParser));
            Assert.Throws<ObjectDisposedException>(() => factory.CreateForTask());
            Assert.Throws<ObjectDisposedException>(() => _ = factory.ImplementationType);
        });
    }

    // Not inlined, so no local of this frame (the JIT may extend their lifetime) keeps plugin objects
    // reachable from the test method.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadUseAndUnload(List<object>? keep)
    {
        var plugin = PluginLoader.Load(TestPluginBuilds.PathOf("GoodParser"));
        var stateful = plugin.CreateFactory<ISingleFileParser>("LetsData.TestPlugins.GoodParser.CountingParser");
        var stateless = plugin.CreateFactory<ISingleFileParser>(StatelessParser);
        var values = ParserCalls.ParseValues(stateful.CreateForTask());
        ParserCalls.ParseValues(stateless.CreateForTask());
        Assert.That(values["text"], Is.EqualTo("a line"), "the plugin really ran");
        keep?.AddRange([plugin, stateful, stateless]);
        return plugin.Unload();
    }

    private static bool WaitUntilCollected(WeakReference context)
    {
        for (var i = 0; context.IsAlive && i < MaxCollections; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        return !context.IsAlive;
    }
}

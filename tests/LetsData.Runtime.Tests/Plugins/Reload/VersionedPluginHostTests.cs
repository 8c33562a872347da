using System.Runtime.CompilerServices;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Plugins;
using LetsData.Runtime.Plugins.Reload;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Tests.TestSupport;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Tests.Plugins.Reload;

[TestFixture]
public sealed class VersionedPluginHostTests
{
    private PluginDropFolder _drop = null!;
    private CapturingLogger _log = null!;

    [SetUp]
    public void SetUp()
    {
        _drop = new PluginDropFolder("VersionedParser").Drop(ReloadTestPlugins.VersionedParserBuild("V1"));
        _log = new CapturingLogger();
    }

    [TearDown]
    public void TearDown() => _drop.Dispose();

    [Test]
    public void Reload_NewTasksGetTheNewBuild_WhileALeaseHeldOnTheOldOneKeepsWorking()
    {
        using var host = StartHost();
        var v1Lease = host.Acquire();

        // Overwritten in place while version 1 is loaded: it was loaded from a shadow copy, so nothing holds these files.
        _drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));
        var reload = host.Reload();

        Assert.Multiple(() =>
        {
            Assert.That(reload.Succeeded, Is.True, reload.Message);
            Assert.That(reload.CurrentVersion, Is.EqualTo(2));
            Assert.That(host.CurrentVersion, Is.EqualTo(2));
            Assert.That(ParsedVersion(host), Is.EqualTo("v2"), "a task that starts after the reload");
            Assert.That(ParsedVersion(v1Lease), Is.EqualTo("v1"), "the task that started before the reload");
            Assert.That(host.Metrics.UnloadsVerified, Is.Zero, "version 1 is still leased");
        });
        v1Lease.Dispose();
    }

    [Test]
    public async Task Reload_DuringARunningTask_TheTaskFinishesOnV1AndLaterTasksRunOnV2()
    {
        using var host = StartHost();
        var sinks = new ReloadingSinks(task =>
        {
            if (task.TaskId == "task-0001")
            {
                _drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));
                Assert.That(host.Reload().Succeeded, Is.True);
            }
        });
        var files = new InMemoryFileSource().Add("a.txt", "<r>a1\n<r>a2\n<r>a3\n"u8.ToArray()).Add("b.txt", "<r>b1\n<r>b2\n"u8.ToArray());
        var engine = new DataTaskEngine("Reload", host, files, sinks, sinks, new EngineOptions { Concurrency = 1 });

        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile("a.txt", "b.txt"));
        await host.WhenUnloadsSettledAsync();

        var versions = DocumentVersions(sinks);
        Assert.Multiple(() =>
        {
            Assert.That(summary.Errored, Is.Zero);
            Assert.That(versions["a.txt"], Is.EqualTo(new[] { "v1", "v1", "v1" }), "leased v1 before the reload, finished on it");
            Assert.That(versions["b.txt"], Is.EqualTo(new[] { "v2", "v2" }));
            Assert.That(host.Metrics.UnloadsVerified, Is.EqualTo(1), "v1 unloaded once task-0001 released it");
        });
    }

    [Test]
    public async Task LastLeaseOfTheOldVersionEnds_ItsContextIsVerifiedUnloaded()
    {
        using var host = StartHost();
        var v1Lease = UseAndKeepLease(host);
        _drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));
        host.Reload();
        await host.WhenUnloadsSettledAsync();
        Assert.That(host.Metrics.UnloadsVerified, Is.Zero, "not unloaded while a task holds it");

        v1Lease.Dispose();
        await host.WhenUnloadsSettledAsync();

        Assert.Multiple(() =>
        {
            Assert.That(host.Metrics.Reloads, Is.EqualTo(1));
            Assert.That(host.Metrics.UnloadsVerified, Is.EqualTo(1));
            Assert.That(host.Metrics.UnloadsFailed, Is.Zero);
            Assert.That(_log.Lines, Has.Some.Matches<(LogLevel Level, string Message)>(l =>
                l.Message.Contains("VersionedParser: version 1 unloaded (verified", StringComparison.Ordinal)));
            Assert.That(Directory.GetDirectories(_drop.ShadowRoot), Has.Length.EqualTo(1), "v1's shadow copy is removed, v2's stays");
        });
    }

    [Test]
    public async Task APluginThatBlocksItsUnload_IsReportedByNameAndVersionAndCounted_AndTheHostKeepsWorking()
    {
        using var drop = new PluginDropFolder("LeakyParser").Drop(ReloadTestPlugins.LeakyParserBuild());
        using var host = VersionedPluginHost.Start(drop.AssemblyPath, ReloadTestPlugins.BindParser(ReloadTestPlugins.LeakyParserClass),
            new VersionedPluginHostOptions { ShadowRoot = drop.ShadowRoot, UnloadCollectionPause = TimeSpan.FromMilliseconds(10) }, _log);
        UseAndRelease(host);

        var reload = host.Reload();
        await host.WhenUnloadsSettledAsync();

        Assert.Multiple(() =>
        {
            Assert.That(reload.Succeeded, Is.True, reload.Message);
            Assert.That(host.Metrics.UnloadsFailed, Is.EqualTo(1));
            Assert.That(host.Metrics.UnloadsVerified, Is.Zero);
            Assert.That(host.Metrics.LeakedVersions, Is.EqualTo(new[] { "LeakyParser v1" }));
            Assert.That(_log.Lines, Has.Some.Matches<(LogLevel Level, string Message)>(l => l.Level == LogLevel.Error &&
                l.Message.Contains("LeakyParser: version 1 did not unload", StringComparison.Ordinal)));
        });
        Assert.That(ParsedText(host), Is.EqualTo("a line"), "version 2 serves tasks");
        Assert.That(host.Reload().CurrentVersion, Is.EqualTo(3), "and reloads go on");
    }

    [Test]
    public async Task ABuildWithoutTheConfiguredClass_IsRefused_AndTheOldVersionStaysCurrent()
    {
        using var host = StartHost();
        _drop.Drop(ReloadTestPlugins.VersionedParserBuild("Renamed"));

        var reload = host.Reload();
        await host.WhenUnloadsSettledAsync();

        Assert.Multiple(() =>
        {
            Assert.That(reload.Succeeded, Is.False);
            Assert.That(reload.CurrentVersion, Is.EqualTo(1));
            Assert.That(reload.Message, Does.Contain("reload refused, version 1 stays current")
                .And.Contain(ReloadTestPlugins.VersionedParserClass + ": class not found").And.Contain("RenamedLineParser")
                .And.Contain(_drop.AssemblyPath), "names the dropped build, not its shadow copy");
            Assert.That(host.CurrentVersion, Is.EqualTo(1));
            Assert.That(ParsedVersion(host), Is.EqualTo("v1"));
            Assert.That(host.Metrics.ReloadsFailed, Is.EqualTo(1));
            Assert.That(host.Metrics.Reloads, Is.Zero);
            Assert.That(_log.Lines, Has.Some.Matches<(LogLevel Level, string Message)>(l => l.Level == LogLevel.Error &&
                l.Message.Contains("reload refused", StringComparison.Ordinal)));
        });

        _drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));
        Assert.That(host.Reload().CurrentVersion, Is.EqualTo(2), "a fixed build is picked up by the next reload");
        Assert.That(ParsedVersion(host), Is.EqualTo("v2"));
    }

    [Test]
    public void ABuildThatIsNotAnAssembly_IsRefusedWithTheReason()
    {
        using var host = StartHost();
        File.WriteAllText(_drop.AssemblyPath, "not a PE file");

        var reload = host.Reload();

        Assert.Multiple(() =>
        {
            Assert.That(reload.Succeeded, Is.False);
            Assert.That(reload.Message, Does.Contain("not a .NET assembly"));
            Assert.That(ParsedVersion(host), Is.EqualTo("v1"));
        });
    }

    [Test]
    public void CheckBeforeLoad_RunsOnTheShadowCopy_AndItsRefusalKeepsTheOldVersion()
    {
        var checkedPaths = new List<string>();
        using var host = VersionedPluginHost.Start(_drop.AssemblyPath, ReloadTestPlugins.BindParser(ReloadTestPlugins.VersionedParserClass),
            new VersionedPluginHostOptions
            {
                ShadowRoot = _drop.ShadowRoot,
                CheckBeforeLoad = path =>
                {
                    checkedPaths.Add(path);
                    return checkedPaths.Count > 1 ? $"policy: {path} references a fenced API" : null;
                },
            }, _log);
        _drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));

        var reload = host.Reload();

        Assert.Multiple(() =>
        {
            Assert.That(checkedPaths, Has.Count.EqualTo(2), "the first version and the reload are both checked");
            Assert.That(checkedPaths, Has.All.StartsWith(_drop.ShadowRoot), "what is checked is what loads: the copy");
            Assert.That(reload.Succeeded, Is.False);
            Assert.That(reload.Message, Does.Contain($"policy: {_drop.AssemblyPath} references a fenced API"), "names the dropped file");
            Assert.That(ParsedVersion(host), Is.EqualTo("v1"));
        });
    }

    [Test]
    public async Task Dispose_WhileATaskStillHoldsAnOldVersion_ReportsItAsNotUnloaded()
    {
        var host = StartHost();
        var stuck = UseAndKeepLease(host);
        _drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));
        host.Reload();

        host.Dispose();
        await host.WhenUnloadsSettledAsync();

        Assert.Multiple(() =>
        {
            Assert.That(host.Metrics.LeakedVersions, Is.EqualTo(new[] { "VersionedParser v1" }));
            Assert.That(host.Metrics.UnloadsVerified, Is.EqualTo(1), "version 2, which no task held");
            Assert.That(_log.Lines, Has.Some.Matches<(LogLevel Level, string Message)>(l => l.Level == LogLevel.Error &&
                l.Message.Contains("version 1 cannot unload: 1 task(s) still hold it", StringComparison.Ordinal)));
        });
        stuck.Dispose();
    }

    [Test]
    public void Start_WithABrokenFirstBuild_ThrowsWithTheReason()
    {
        var renamed = new PluginDropFolder("VersionedParser").Drop(ReloadTestPlugins.VersionedParserBuild("Renamed"));
        using (renamed)
        {
            var error = Assert.Throws<PluginLoadException>(() => VersionedPluginHost.Start(renamed.AssemblyPath,
                ReloadTestPlugins.BindParser(ReloadTestPlugins.VersionedParserClass),
                new VersionedPluginHostOptions { ShadowRoot = renamed.ShadowRoot }));
            Assert.That(error!.Message, Does.Contain(ReloadTestPlugins.VersionedParserClass));
        }
    }

    [Test]
    public async Task Dispose_UnloadsTheCurrentVersionVerified_AndRefusesNewLeases()
    {
        var host = StartHost();
        UseAndRelease(host);

        host.Dispose();
        await host.WhenUnloadsSettledAsync();

        Assert.Multiple(() =>
        {
            Assert.That(host.Metrics.UnloadsVerified, Is.EqualTo(1));
            Assert.Throws<ObjectDisposedException>(() => host.Acquire());
            Assert.That(_drop.ShadowRoot, Does.Not.Exist, "the shadow copies are removed");
        });
    }

    private VersionedPluginHost StartHost() =>
        VersionedPluginHost.Start(_drop.AssemblyPath, ReloadTestPlugins.BindParser(ReloadTestPlugins.VersionedParserClass),
            new VersionedPluginHostOptions { ShadowRoot = _drop.ShadowRoot }, _log);

    // The helpers below are not inlined, so no plugin object outlives them in a frame of the test method (the JIT may
    // extend a local's lifetime to the end of its method), which would keep the version alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ParsedVersion(VersionedPluginHost host)
    {
        using var lease = host.Acquire();
        return ParsedVersion(lease);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ParsedVersion(ReaderBindingLease lease) =>
        (string)ParserCalls.ParseValues(((SingleFileReaderBinding)lease.Binding).CreateParser())["version"]!;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ParsedText(VersionedPluginHost host)
    {
        using var lease = host.Acquire();
        return (string)ParserCalls.ParseValues(((SingleFileReaderBinding)lease.Binding).CreateParser())["text"]!;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void UseAndRelease(VersionedPluginHost host) => ParsedText(host);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ReaderBindingLease UseAndKeepLease(VersionedPluginHost host)
    {
        var lease = host.Acquire();
        Assert.That(ParsedVersion(lease), Is.EqualTo("v1"));
        return lease;
    }

    /// <summary>The version stamped on each document, per input file, in order.</summary>
    internal static Dictionary<string, List<string>> DocumentVersions(ReloadingSinks sinks) =>
        sinks.Captured.Documents
            .Select(d => (Document)d.Document)
            .Select(d => (File: d.DocumentId!.Split(':')[0], Version: (string)d.KeyValues["version"]!))
            .GroupBy(d => d.File)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Version).ToList());
}

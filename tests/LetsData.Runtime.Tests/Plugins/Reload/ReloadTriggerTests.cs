using LetsData.Runtime.Hosting;
using LetsData.Runtime.Plugins.Reload;

namespace LetsData.Runtime.Tests.Plugins.Reload;

[TestFixture]
public sealed class ReloadTriggerTests
{
    // Generous: the tests wait for an event, they do not measure how fast it comes.
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(30);

    [Test]
    public async Task FolderWatcher_CallsBackOnceTheBuildHasLanded_NotPerFile()
    {
        using var drop = new PluginDropFolder("VersionedParser").Drop(ReloadTestPlugins.VersionedParserBuild("V1"));
        var calls = 0;
        var landed = new SemaphoreSlim(0);
        // The quiet period is long next to the gaps between the copies of one build, even on a loaded machine.
        using var watcher = new PluginFolderWatcher(drop.AssemblyPath, TimeSpan.FromSeconds(1), () =>
        {
            Interlocked.Increment(ref calls);
            landed.Release();
        });

        drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));

        Assert.That(await landed.WaitAsync(EventTimeout), Is.True, "no callback after the build landed");
        // A second callback for the same burst would come one quiet period later; wait for more than that.
        Assert.That(await landed.WaitAsync(TimeSpan.FromSeconds(3)), Is.False, "one callback for several files written together");
        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public async Task FolderWatcher_WaitsWhileTheMainAssemblyIsStillOpenForWriting()
    {
        using var drop = new PluginDropFolder("VersionedParser").Drop(ReloadTestPlugins.VersionedParserBuild("V1"));
        var landed = new SemaphoreSlim(0);
        using var watcher = new PluginFolderWatcher(drop.AssemblyPath, TimeSpan.FromMilliseconds(100), () => landed.Release());

        var writer = new FileStream(drop.AssemblyPath, FileMode.Open, FileAccess.Write, FileShare.None);
        writer.WriteByte(0x4D);
        writer.Flush();
        var calledWhileOpen = await landed.WaitAsync(TimeSpan.FromSeconds(1));
        await writer.DisposeAsync();
        drop.Drop(ReloadTestPlugins.VersionedParserBuild("V1"));

        Assert.That(calledWhileOpen, Is.False, "a DLL a writer still holds is not a landed build");
        Assert.That(await landed.WaitAsync(EventTimeout), Is.True, "the build is picked up once the writer is done");
    }

    [Test]
    public async Task PluginsReload_ReachesTheRunningWorker_AndPrintsItsAnswer()
    {
        using var drop = new PluginDropFolder("VersionedParser").Drop(ReloadTestPlugins.VersionedParserBuild("V1"));
        using var host = VersionedPluginHost.Start(drop.AssemblyPath, ReloadTestPlugins.BindParser(ReloadTestPlugins.VersionedParserClass),
            new VersionedPluginHostOptions { ShadowRoot = drop.ShadowRoot });
        var control = new ReloadControlFolder(drop.StateDirectory, "HotDataset");
        using (new ReloadRequestListener(host, control, new CapturingLogger()))
        {
            Assert.That(control.FindRunningWorker(out _), Is.EqualTo(Environment.ProcessId), "the worker's pid file");
            drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));

            var id = control.RequestReload();
            var answer = await control.WaitForResultAsync(id, EventTimeout, CancellationToken.None);

            Assert.That(answer, Is.Not.Null, "the worker did not answer");
            Assert.That(answer!.Value.Succeeded, Is.True, answer.Value.Message);
            Assert.That(answer.Value.Message, Does.Contain("version 2 loaded and current"));
            Assert.That(host.CurrentVersion, Is.EqualTo(2));
        }

        Assert.That(control.FindRunningWorker(out var reason), Is.Null, "the pid file goes when the worker stops");
        Assert.That(reason, Does.Contain("no running 'letsdata run'"));
    }

    [Test]
    public async Task PluginsReload_ReportsARefusedBuild()
    {
        using var drop = new PluginDropFolder("VersionedParser").Drop(ReloadTestPlugins.VersionedParserBuild("V1"));
        using var host = VersionedPluginHost.Start(drop.AssemblyPath, ReloadTestPlugins.BindParser(ReloadTestPlugins.VersionedParserClass),
            new VersionedPluginHostOptions { ShadowRoot = drop.ShadowRoot });
        var control = new ReloadControlFolder(drop.StateDirectory, "HotDataset");
        using var listener = new ReloadRequestListener(host, control, new CapturingLogger());
        drop.Drop(ReloadTestPlugins.VersionedParserBuild("Renamed"));

        var answer = await control.WaitForResultAsync(control.RequestReload(), EventTimeout, CancellationToken.None);

        Assert.That(answer, Is.Not.Null);
        Assert.That(answer!.Value.Succeeded, Is.False);
        Assert.That(answer.Value.Message, Does.Contain("version 1 stays current"));
    }

    [Test]
    public void CommandLine_ParsesWatchPluginsStateDirAndPluginsReload()
    {
        var run = CommandLine.TryParse(["run", "--dataset", "d.json", "--watch-plugins", "--state", "/s"], out var runError);
        var reload = CommandLine.TryParse(["plugins", "reload", "--dataset", "d.json", "--state", "/s"], out var reloadError);
        var noSubcommand = CommandLine.TryParse(["plugins", "--dataset", "d.json"], out var noSubcommandError);
        var watchOnValidate = CommandLine.TryParse(["validate", "--dataset", "d.json", "--watch-plugins"], out var watchError);

        Assert.Multiple(() =>
        {
            Assert.That(runError, Is.Null);
            Assert.That(run!.WatchPlugins, Is.True);
            Assert.That(run.StateDirectory, Is.EqualTo("/s"));
            Assert.That(reloadError, Is.Null);
            Assert.That(reload!.Command, Is.EqualTo(CommandLine.PluginsReload));
            Assert.That(reload.DatasetFile, Is.EqualTo("d.json"));
            Assert.That(reload.WatchPlugins, Is.False);
            Assert.That(noSubcommand, Is.Null);
            Assert.That(noSubcommandError, Does.Contain("plugins reload"));
            Assert.That(watchOnValidate, Is.Null, "--watch-plugins is for run only");
            Assert.That(watchError, Does.Contain("--watch-plugins"));
        });
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Plugins.Reload;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Plugins.Reload;

[TestFixture]
public sealed class HotUpdateUnderLoadTests
{
    private const int Tasks = 400;
    private const int LinesPerTask = 25;
    private const int ReloadEveryTasks = 40;

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static string ParsedVersion(VersionedPluginHost host)
    {
        using var lease = host.Acquire();
        return (string)ParserCalls.ParseValues(((SingleFileReaderBinding)lease.Binding).CreateParser())["version"]!;
    }

    [Test]
    public async Task ManyShortTasks_ReloadedSeveralTimes_NoTaskFails_EachTaskRunsOnOneVersion_EveryOldVersionUnloads()
    {
        using var drop = new PluginDropFolder("VersionedParser").Drop(ReloadTestPlugins.VersionedParserBuild("V1"));
        var log = new CapturingLogger();
        var host = VersionedPluginHost.Start(drop.AssemblyPath, ReloadTestPlugins.BindParser(ReloadTestPlugins.VersionedParserClass),
            new VersionedPluginHostOptions { ShadowRoot = drop.ShadowRoot }, log);
        var files = new InMemoryFileSource();
        var fileNames = new string[Tasks];
        for (var t = 0; t < Tasks; t++)
        {
            fileNames[t] = $"f{t:D4}.txt";
            files.Add(fileNames[t], Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, LinesPerTask).Select(i => $"<r>line {i}\n"))));
        }

        // Every ReloadEveryTasks-th task drops the other build into the folder (in place) and reloads while it holds
        // the old version, and while the other worker thread is likely in the middle of a task too. The reload takes
        // that thread for the copy and load, during which the other thread keeps starting tasks on the old version,
        // so the tasks do not split evenly between the builds.
        var builds = new[] { "V2", "V1" };
        var reloadResults = new List<PluginReloadResult>();
        var servedAfterReload = new List<(string Dropped, string Served)>();
        var sinks = new ReloadingSinks(task =>
        {
            var number = int.Parse(task.TaskId["task-".Length..], System.Globalization.CultureInfo.InvariantCulture);
            if (number % ReloadEveryTasks == 0)
            {
                lock (reloadResults)
                {
                    var build = builds[reloadResults.Count % 2];
                    drop.Drop(ReloadTestPlugins.VersionedParserBuild(build));
                    reloadResults.Add(host.Reload());
                    servedAfterReload.Add((build.ToLowerInvariant(), ParsedVersion(host)));
                }
            }
        });
        var engine = new DataTaskEngine("HotUpdate", host, files, sinks, sinks, new EngineOptions { Concurrency = 2 });

        var stopwatch = Stopwatch.StartNew();
        var summary = await engine.RunAsync(EngineRun.OneTaskPerFile(fileNames));
        await host.WhenUnloadsSettledAsync();
        var elapsed = stopwatch.Elapsed;
        var afterRun = (host.Metrics.Reloads, host.Metrics.UnloadsVerified, host.Metrics.UnloadsFailed);
        host.Dispose();

        var versions = VersionedPluginHostTests.DocumentVersions(sinks);
        var perVersion = versions.Values.GroupBy(v => v[0]).ToDictionary(g => g.Key, g => g.Count());
        TestContext.Out.WriteLine(
            $"hot update under load: {summary.Tasks.Count} tasks x {LinesPerTask} records, concurrency 2, {reloadResults.Count} reloads " +
            $"({string.Join(", ", perVersion.Select(p => $"{p.Value} tasks on {p.Key} builds"))}), {summary.Errored} failed tasks, " +
            $"unloads verified {afterRun.UnloadsVerified} after the run + {host.Metrics.UnloadsVerified - afterRun.UnloadsVerified} at dispose, " +
            $"leaked {host.Metrics.UnloadsFailed}, {elapsed.TotalMilliseconds:F0} ms");

        Assert.Multiple(() =>
        {
            Assert.That(summary.Tasks, Has.Count.EqualTo(Tasks));
            Assert.That(summary.Errored, Is.Zero, string.Join("; ", summary.Tasks.Where(t => t.ErrorMessage is not null).Select(t => t.ErrorMessage)));
            Assert.That(reloadResults, Has.Count.EqualTo(Tasks / ReloadEveryTasks));
            Assert.That(reloadResults, Has.All.Matches<PluginReloadResult>(r => r.Succeeded));
            Assert.That(servedAfterReload.Where(s => s.Dropped != s.Served), Is.Empty, "a task leasing right after a reload gets the dropped build");
            Assert.That(versions, Has.Count.EqualTo(Tasks), "every task wrote its documents");
            Assert.That(versions.Values, Has.All.Count.EqualTo(LinesPerTask));
            Assert.That(versions.Values.Where(v => v.Distinct().Count() != 1), Is.Empty, "a task's documents all come from one version");
            Assert.That(perVersion.Keys, Is.EquivalentTo(new[] { "v1", "v2" }), "both builds served tasks");
            Assert.That(afterRun.Reloads, Is.EqualTo(Tasks / ReloadEveryTasks));
            Assert.That(afterRun.UnloadsVerified, Is.EqualTo(afterRun.Reloads), "every replaced version unloaded once its tasks ended");
            Assert.That(afterRun.UnloadsFailed, Is.Zero);
            Assert.That(host.Metrics.UnloadsVerified, Is.EqualTo(afterRun.Reloads + 1), "and the last one at dispose");
            Assert.That(host.Metrics.UnloadsFailed, Is.Zero);
        });
    }
}

using System.Text;
using System.Text.Json;
using LetsData.Runtime.Hosting;
using LetsData.Runtime.Plugins.Reload;
using Microsoft.Extensions.Logging.Abstractions;

namespace LetsData.Runtime.Tests.Plugins.Reload;

/// <summary>
/// <c>letsdata run</c> and <c>letsdata plugins reload</c> as the worker runs them (the commands, in one process):
/// the reload request reaches the running worker through the dataset's control folder.
/// </summary>
[TestFixture]
public sealed class RunCommandReloadTests
{
    // More tasks than the run can finish before the test stops it: the reload always lands mid-run.
    // Tasks of five slow records (10 ms each) keep the run going for seconds: time for a reload in the middle.
    private const int ManifestLines = 400;
    private static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(60);

    // In-process: versions loaded, leased and unloaded in this process. Supervised: each version is a copy checked by a
    // validate process, and data-task processes of the old version end after their running task.
    [TestCase(true)]
    [TestCase(false)]
    public async Task PluginsReload_DuringRun_LaterTasksWriteV2_EachTaskFileHasOneVersion(bool inProcess)
    {
        using var drop = new PluginDropFolder("VersionedParser").Drop(ReloadTestPlugins.VersionedParserBuild("V1"));
        var root = Path.GetDirectoryName(Path.GetDirectoryName(drop.Folder))!;
        var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "a.txt"), string.Concat(Enumerable.Range(0, 5).Select(i => $"<r>slow line {i}\n")));
        var documents = Path.Combine(root, "out", "documents");
        var datasetFile = Path.Combine(root, "hot.json");
        await File.WriteAllTextAsync(datasetFile, DatasetJson(data, documents, Path.Combine(root, "out", "errors")));
        var pluginsFolder = Path.GetDirectoryName(drop.Folder)!;
        var run = new CommandLine("run", datasetFile, pluginsFolder, Concurrency: 2) { StateDirectory = drop.StateDirectory, InProcess = inProcess };
        var reload = new CommandLine(CommandLine.PluginsReload, datasetFile, pluginsFolder, Concurrency: null) { StateDirectory = drop.StateDirectory };
        using var stop = new CancellationTokenSource();

        var running = Task.Run(() => new RunCommand(new ProgressReporter(NullLogger<ProgressReporter>.Instance), NullLogger<RunCommand>.Instance)
            .ExecuteAsync(run, TextWriter.Null, stop.Token));
        await WaitForWorkerAsync(new ReloadControlFolder(drop.StateDirectory, "HotDataset"), running);
        // A v1 task has written before the new build lands (else a fast reload could leave no v1 output at all).
        await WaitForVersionInOutputAsync(documents, "v1", running);
        drop.Drop(ReloadTestPlugins.VersionedParserBuild("V2"));
        var answer = new StringWriter();
        var reloadExit = await new PluginsReloadCommand(NullLogger<PluginsReloadCommand>.Instance).ExecuteAsync(reload, answer, CancellationToken.None);
        await WaitForVersionInOutputAsync(documents, "v2", running);
        await stop.CancelAsync();
        await running;

        var versionsPerTask = Directory.EnumerateFiles(documents, "*.jsonl")
            .Select(file => File.ReadAllLines(file).Select(VersionOf).Distinct().ToList())
            .ToList();
        Assert.Multiple(() =>
        {
            Assert.That(reloadExit, Is.EqualTo(ExitCodes.Success), answer.ToString());
            Assert.That(answer.ToString(), Does.Contain("version 2 loaded and current"));
            Assert.That(versionsPerTask.Where(v => v.Count != 1), Is.Empty, "every completed task's documents come from one version");
            Assert.That(versionsPerTask.Select(v => v[0]).Distinct(), Is.EquivalentTo(new[] { "v1", "v2" }));
        });
    }

    private static async Task WaitForWorkerAsync(ReloadControlFolder control, Task running)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        while (control.FindRunningWorker(out _) is null)
        {
            Assert.That(running.IsCompleted, Is.False, "the run ended before it claimed its control folder");
            await Task.Delay(20, timeout.Token);
        }
    }

    private static async Task WaitForVersionInOutputAsync(string documents, string version, Task running)
    {
        using var timeout = new CancellationTokenSource(EventTimeout);
        // The folder appears with the first task's output.
        while (!Directory.Exists(documents) || !Directory.EnumerateFiles(documents, "*.jsonl").Any(f => File.ReadAllLines(f).Any(l => VersionOf(l) == version)))
        {
            Assert.That(running.IsCompleted, Is.False, $"the run ended before a task wrote {version} documents");
            await Task.Delay(20, timeout.Token);
        }
    }

    private static string VersionOf(string jsonLine)
    {
        using var document = JsonDocument.Parse(jsonLine);
        return document.RootElement.GetProperty("version").GetString()!;
    }

    private static string DatasetJson(string data, string documents, string errors)
    {
        var manifest = new StringBuilder(ManifestLines * 6);
        for (var i = 0; i < ManifestLines; i++)
        {
            manifest.Append("a.txt\n");
        }

        return ReloadTestPlugins.VersionedParserDatasetJson("HotDataset", data, documents, errors, concurrency: 2, manifest.ToString());
    }
}

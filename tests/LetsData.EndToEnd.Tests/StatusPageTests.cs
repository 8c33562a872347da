using System.Globalization;
using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// The status page through the published worker: <c>run --ui</c> serves the run's tasks and counts (and keeps serving
/// them for the linger), and <c>letsdata ui</c> over the task records renders tasks, errors and the chart in headless
/// chromium (Debian's, driven by playwright-core; <c>scripts/browser/install.sh</c> installs both), checked on the
/// screenshot's pixels too.
/// </summary>
public sealed class StatusPageTests : WorkerTest
{
    // The pills' colours in status.html: a screenshot with them has drawn the tasks' statuses.
    private static readonly (byte, byte, byte) CompletedGreen = (0x2e, 0x85, 0x40);
    private static readonly (byte, byte, byte) ErroredRed = (0xc6, 0x28, 0x28);

    private static string _chromium = "";

    [OneTimeSetUp]
    public static void InstallBrowser()
    {
        var install = ChildProcess.Run("bash", [Path.Combine(Repo.Root, "scripts", "browser", "install.sh")], Repo.Root, TimeSpan.FromMinutes(10));
        Assert.That(install.ExitCode, Is.Zero, $"the browser test needs chromium and playwright-core:\n{install}");
        _chromium = install.StdoutLines[^1];
    }

    [Test]
    public void RunWithUi_ServesTheTasksAndCounts_AndLingersWithTheFinalOnes()
    {
        var dataset = Work.TargetUriDataset(files: 4);
        var port = LoopbackPorts.Free();
        var snapshots = new List<JsonObject>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        string? page = null;

        var result = Work.Worker(["run", "--dataset", dataset, "--plugins", Repo.PluginsDirectory, "--concurrency", "2",
            "--ui", port.ToString(CultureInfo.InvariantCulture), "--metrics-linger-seconds", "5"], worker =>
        {
            while (!worker.HasExited)
            {
                if (TryGet(http, port, "status.json") is { } json)
                {
                    snapshots.Add(JsonNode.Parse(json)!.AsObject());
                }

                page ??= TryGet(http, port, "");
                Thread.Sleep(200);
            }
        });

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Contain($"status page: http://127.0.0.1:{port}/"), result.ToString());
        Assert.That(page, Does.Contain("<title>letsdata status</title>"), "the page itself is served at /");
        Assert.That(snapshots, Is.Not.Empty, result.ToString());
        var last = snapshots[^1];
        Assert.That((string?)last["status"], Is.EqualTo("COMPLETED"), "the linger serves the final state");
        Assert.That((string?)last["plugin"]!["name"], Is.EqualTo(Repo.SamplesPluginName));
        Assert.That((string?)last["plugin"]!["version"], Does.Match(@"^\d+\.\d+\.\d+\.\d+$"));

        // The page's tasks are the store's: same ids, statuses and counts as `tasks list`.
        var stored = JsonNode.Parse(Work.Worker("tasks", "list", "--dataset", dataset, "--json").Stdout)!.AsArray();
        var shown = last["tasks"]!.AsArray();
        Assert.That(shown.Select(t => (string?)t!["taskId"]), Is.EqualTo(stored.Select(t => (string?)t!["taskId"])));
        Assert.That(shown.Select(t => (long)t!["records"]!), Is.EqualTo(stored.Select(t => (long)t!["counters"]!["records"]!)));
        Assert.That(shown.Select(t => (string?)t!["status"]), Is.All.EqualTo("COMPLETED"));
        var total = shown.Sum(t => (long)t!["records"]!);
        Assert.That(total, Is.GreaterThan(0));

        // The throughput samples come from the run's live count: they never go down and end at the total.
        var samples = last["throughput"]!.AsArray().Select(s => (long)s!["records"]!).ToList();
        Assert.That(samples, Is.Not.Empty.And.Ordered);
        Assert.That(samples[^1], Is.EqualTo(total), "a sample taken during the linger has the run's final count");
    }

    [Test]
    public void UiCommand_RendersTasksErrorsAndChart_InHeadlessChromium()
    {
        var dataset = Work.ThreeFileDataset(badSecond: true);
        var run = Work.Run(dataset);
        Assert.That(run.ExitCode, Is.EqualTo(1), "the cut-short file errors its task\n" + run);
        var port = LoopbackPorts.Free();
        var screenshot = Path.Combine(Work.Directory, "status.png");
        ProcessResult? browser = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var ui = Work.Worker(["ui", "--dataset", dataset, "--port", port.ToString(CultureInfo.InvariantCulture)], worker =>
        {
            for (var tries = 0; tries < 300 && !worker.HasExited && TryGet(http, port, "status.json") is null; tries++)
            {
                Thread.Sleep(100);
            }

            browser = ChildProcess.Run("node", [Path.Combine(Repo.Root, "scripts", "browser", "status-page-check.js"),
                $"http://127.0.0.1:{port}/", screenshot, _chromium], Repo.Root, TimeSpan.FromSeconds(90));
            if (!worker.HasExited)
            {
                Posix.Signal(worker.Id, Posix.SigTerm);
            }
        });

        Assert.That(ui.ExitCode, Is.Zero, ui.ToString());
        Assert.That(ui.Stdout, Does.Contain($"status page of dataset TargetUris: http://127.0.0.1:{port}/"), ui.ToString());
        Assert.That(browser, Is.Not.Null);
        Assert.That(browser!.ExitCode, Is.Zero, browser.ToString());
        var seen = JsonNode.Parse(browser.StdoutLines[^1])!.AsObject();
        Assert.That((string?)seen["failure"], Is.Empty, "the page read status.json");
        Assert.That((string?)seen["dataset"], Is.EqualTo("TargetUris"));
        Assert.That((string?)seen["status"], Is.EqualTo("ERRORED"), "a dataset with an errored task is ERRORED");
        Assert.That((string?)seen["progressText"], Is.EqualTo("2 of 3 task(s) completed"));

        var tasks = seen["tasks"]!.AsArray().Select(r => r!.AsArray().Select(c => (string?)c).ToList()).ToList();
        Assert.That(tasks.Select(r => r[0]), Is.EqualTo(new[] { "task-0001", "task-0002", "task-0003" }));
        Assert.That(tasks.Select(r => r[1]), Is.EqualTo(new[] { "COMPLETED", "ERRORED", "COMPLETED" }));
        Assert.That(tasks[1][2], Does.Contain("b.warc.gz"), "the input column names the task's file");
        Assert.That(tasks[1][8], Is.Not.Empty, "the errored task's last error is shown");

        // The errors table: the error record of b.warc.gz with its offset, as stored in the error folder.
        var stored = Directory.GetFiles(Work.ErrorsPath, "*.jsonl").SelectMany(Workspace.ReadJsonLines).ToList();
        var errors = seen["errors"]!.AsArray().Select(r => r!.AsArray().Select(c => (string?)c).ToList()).ToList();
        Assert.That(errors, Has.Count.EqualTo(stored.Count).And.Count.GreaterThan(0));
        var offset = stored[0]["errorStartOffsetMap"]!.AsObject().Single();
        Assert.That(errors[0][0], Is.EqualTo("task-0002"));
        Assert.That(errors[0][2], Does.Contain("b.warc.gz"));
        Assert.That(errors[0][3], Is.EqualTo($"{offset.Key}:{(string?)offset.Value}"));
        Assert.That(errors[0][4], Is.EqualTo((string?)stored[0]["errorMessage"]));

        // What chromium drew: the status pills in their colours (two completed tasks, an errored one and the dataset).
        var pixels = PngPixels.Read(screenshot);
        Assert.That(pixels.Width, Is.EqualTo(1200));
        Assert.That(pixels.Count(CompletedGreen), Is.GreaterThan(100), "green COMPLETED pills");
        Assert.That(pixels.Count(ErroredRed), Is.GreaterThan(100), "red ERRORED pills");
    }

    private static string? TryGet(HttpClient http, int port, string path)
    {
        try
        {
            return http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/{path}")).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null; // not listening yet, or gone
        }
    }
}

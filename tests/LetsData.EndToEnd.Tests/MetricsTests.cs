using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// A run's metrics through the published worker: scraped from <c>--metrics-port</c> while it runs and, thanks to
/// <c>--metrics-linger-seconds</c>, after it ended; and pushed over OTLP/HTTP to a local receiver.
/// </summary>
public sealed partial class MetricsTests : WorkerTest
{
    [Test]
    public void ScrapedWhileItRuns_RecordsGrowToTheSummarysCount()
    {
        var run = CommonCrawlRun.Create(Work, "scraped", CrawlTrios.Write(Work.InputPath, count: 4, urls: 1500, seed: 20261207));
        var port = LoopbackPorts.Free();
        var scrapes = new List<long>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var result = run.Run(worker =>
        {
            while (!worker.HasExited)
            {
                if (TryScrape(http, port) is { } text && RecordsTotal(text) is { } records)
                {
                    scrapes.Add(records);
                }

                Thread.Sleep(100);
            }
        }, "--concurrency", "2", "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--metrics-linger-seconds", "3");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var summaryRecords = long.Parse(SummaryRecords().Match(result.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(summaryRecords, Is.GreaterThan(0), result.ToString());
        Assert.That(scrapes, Has.Count.GreaterThanOrEqualTo(2), "scraped while it ran and while it lingered\n" + result);
        Assert.That(scrapes, Is.Ordered, "a counter never goes down");
        Assert.That(scrapes.Where(s => s > 0 && s < summaryRecords).ToList(), Is.Not.Empty,
            $"scraped mid-run, with records counted and more to come; scrapes: {string.Join(", ", scrapes)}\n{result}");
        Assert.That(scrapes[^1], Is.EqualTo(summaryRecords), $"the last scrape (after the run) has the summary's count; scrapes: {string.Join(", ", scrapes)}\n{result}");
        Assert.That(result.Stderr, Does.Contain($"metrics: http://127.0.0.1:{port}/metrics"), result.ToString());
    }

    [Test]
    public void ScrapeEndpoint_HasEveryTasksSeriesAndOutcomes()
    {
        var datasetFile = Work.TargetUriDataset(files: 4);
        var port = LoopbackPorts.Free();
        string? last = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var result = Work.Worker(["run", "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory, "--in-process",
            "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--metrics-linger-seconds", "2"], worker =>
        {
            while (!worker.HasExited)
            {
                // An exporter shutting down answers with nothing: the last scrape with content is the final one.
                last = TryScrape(http, port) is { } text && text.Contains("letsdata_", StringComparison.Ordinal) ? text : last;
                Thread.Sleep(100);
            }
        });

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(last, Is.Not.Null, result.ToString());
        Assert.That(last, Does.Match("""letsdata_tasks_total\{[^}]*dataset="TargetUris",outcome="completed"\} 4\n"""), last);
        Assert.That(last, Does.Match("""letsdata_checkpoints_total\{[^}]*dataset="TargetUris",task="task-0004"\} 0\n"""), last);
        Assert.That(RecordsTotal(last!), Is.EqualTo(long.Parse(SummaryRecords().Match(result.Stdout).Groups[1].Value, CultureInfo.InvariantCulture)),
            "in-process, from the engine's totals");
    }

    [Test]
    public void OtlpEndpointInTheEnvironment_TheFinalCountsArePushedOverHttp()
    {
        var datasetFile = Work.TargetUriDataset(files: 4);
        using var receiver = new HttpRequestRecorder();

        var result = Work.Worker(["run", "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory], environment =>
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.Endpoint;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        }, TimeSpan.FromSeconds(60));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var exports = receiver.Requests.Where(r => r.Path == "/v1/metrics").ToList();
        Assert.That(exports, Is.Not.Empty, $"requests: {string.Join(", ", receiver.Requests.Select(r => r.Path))}\n{result}");
        Assert.That(exports[^1].ContentType, Is.EqualTo("application/x-protobuf"));
        // Protobuf keeps strings as they are: the instrument and the dataset tag are in the last export.
        var body = Encoding.UTF8.GetString(exports[^1].Body);
        Assert.That(body, Does.Contain("letsdata.records").And.Contain("TargetUris").And.Contain("task-0004"));
        var summaryRecords = long.Parse(SummaryRecords().Match(result.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(OtlpMetrics.SumOf(exports[^1].Body, "letsdata.records"), Is.EqualTo(summaryRecords).And.GreaterThan(0),
            "the last export has the summary's count");
    }

    [Test]
    public void Histograms_CountEveryPluginCallAndCheckpoint_OfTheDataTaskProcesses()
    {
        var datasetFile = Work.TargetUriDataset(files: 4);
        var port = LoopbackPorts.Free();
        string? last = null;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };

        var result = Work.Worker(["run", "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory, "--checkpoint-records", "1",
            "--metrics-port", port.ToString(CultureInfo.InvariantCulture), "--metrics-linger-seconds", "3"], worker =>
        {
            while (!worker.HasExited)
            {
                last = TryScrape(http, port) is { } text && text.Contains("letsdata_", StringComparison.Ordinal) ? text : last;
                Thread.Sleep(100);
            }
        });

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var records = long.Parse(SummaryRecords().Match(result.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        var checkpoints = long.Parse(SummaryCheckpoints().Match(result.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.That(checkpoints, Is.GreaterThan(0), "a checkpoint every record\n" + result);
        // Every record is one ParseDocument call; the parser's constructor and hint getters are calls too.
        Assert.That(Sample(last!, "letsdata_plugin_call_duration_seconds_count"), Is.GreaterThanOrEqualTo(records + 4), last);
        Assert.That(Sample(last!, "letsdata_checkpoint_duration_seconds_count"), Is.EqualTo(checkpoints), last);
        Assert.That(Sample(last!, "letsdata_plugin_call_duration_seconds_bucket", "le=\"+Inf\""),
            Is.EqualTo(Sample(last!, "letsdata_plugin_call_duration_seconds_count")), "the buckets hold every call");
        Assert.That(Sample(last!, "letsdata_sink_retries_total"), Is.Zero, "local files: no sink retries");
    }

    [Test]
    public void APortInUse_IsUnusableInput_BeforeAnyTaskRuns()
    {
        var datasetFile = Work.TargetUriDataset(files: 4);
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);

        var result = Work.Run(datasetFile, "--metrics-port", port);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        Assert.That(result.Stderr, Does.Contain($"--metrics-port {port}: cannot serve metrics on 127.0.0.1"), result.ToString());
        Assert.That(Directory.Exists(Work.DocumentsPath) ? Directory.GetFiles(Work.DocumentsPath) : [], Is.Empty, "no task ran");
    }

    private static string? TryScrape(HttpClient http, int port)
    {
        try
        {
            return http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics")).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null; // not listening yet, or gone
        }
    }

    // The sum over the series of letsdata_records_total; null before the first series exists.
    private static long? RecordsTotal(string exposition)
    {
        var values = exposition.Split('\n').Where(l => l.StartsWith("letsdata_records_total", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)).ToList();
        return values.Count == 0 ? null : values.Sum();
    }

    // The value of the series of <paramref name="name"/> (the one whose labels contain <paramref name="label"/>).
    private static double Sample(string exposition, string name, string label = "")
    {
        var line = exposition.Split('\n').SingleOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal))
            ?? throw new AssertionException($"no {name} {label} in\n{exposition}");
        return double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"records (\d+), documents")]
    private static partial Regex SummaryRecords();

    [GeneratedRegex(@"checkpoints (\d+)")]
    private static partial Regex SummaryCheckpoints();
}

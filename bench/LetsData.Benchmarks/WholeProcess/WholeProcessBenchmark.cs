using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LetsData.Benchmarks.CommonCrawl;

namespace LetsData.Benchmarks.WholeProcess;

/// <summary>
/// Issue 16 (<c>--only whole</c>): the published worker as a user runs it (<c>letsdata run</c>, data-task processes,
/// start → exit) with TargetUriExtractor over both record shapes — a wget-shaped WARC of many ~7 KB records
/// (<see cref="WgetWarcCorpus"/>) and the Common Crawl corpus's few large records — gzip and plain; next to one thread
/// of .NET GZipStream inflating the same file and warcio.js iterating it; then start-up on datasets/target-uris.json
/// with its <c>--timings</c> breakdown, and the peak RSS over 1x, 10x and 100x the gzip input. One table at the end.
/// </summary>
internal static partial class WholeProcessBenchmark
{
    private const double FloorTarget = 1.0;
    private const double WarcioTarget = 10;
    private static readonly TimeSpan StartupTarget = TimeSpan.FromSeconds(0.3);
    private const int StartupLaunches = 7;

    /// <summary>The RSS runs' corpus: ~150 MB uncompressed gives ~50 MB of gzip, the issue's smaller input.</summary>
    private const int RssCorpusMb = 150;

    private sealed record Input(string Shape, string Compression, string Directory, string File, long Requests, string? GzipTwin);

    private sealed record Row(Input Input, long FileBytes, TimeSpan Worker, TimeSpan? WorkerCpu, IReadOnlyList<TimeSpan> WorkerAll,
        TimeSpan? Floor, TimeSpan? Warcio);

    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[whole] whole process: letsdata run vs one-thread inflate and warcio; start-up; peak RSS");
        var loadAtStart = MachineLoad.Describe();
        WorkerPublisher.EnsurePublished(layout);
        var small = WgetWarcCorpus.Ensure(layout, arguments.WholeMb);
        var large = CommonCrawlSetup.EnsureCorpus(layout, arguments.CommonCrawlUrls);
        var warcio = CommonCrawlSetup.EnsureWarcio(layout, out var warcioMissing);
        Input[] inputs =
        [
            new("many small records (wget-shaped, ~7 KB)", "gzip", small.Directory, WgetWarcCorpus.GzipFile, small.Requests, null),
            new("many small records (wget-shaped, ~7 KB)", "plain", small.Directory, WgetWarcCorpus.PlainFile, small.Requests, WgetWarcCorpus.GzipFile),
            new("few large records (Common Crawl-shaped)", "gzip", large.Directory, CommonCrawlCorpus.Warc, large.Urls, null),
            new("few large records (Common Crawl-shaped)", "plain", large.Directory, CommonCrawlCorpus.PlainWarc, large.Urls, CommonCrawlCorpus.Warc),
        ];

        var temp = Directory.CreateTempSubdirectory("letsdata-bench-whole-");
        try
        {
            var rows = inputs.Select(input => Measure(layout, arguments, input, temp.FullName, warcio)).ToList();
            var loadAfterThroughput = MachineLoad.Describe();
            var startup = MeasureStartup(layout, temp.FullName);
            var rss = MeasureRss(layout, arguments, WgetWarcCorpus.Ensure(layout, RssCorpusMb), temp.FullName);
            Print(layout, arguments, small, large, rows, startup, rss, loadAtStart, loadAfterThroughput, warcio is null ? warcioMissing : null);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    private static Row Measure(RepositoryLayout layout, BenchArguments arguments, Input input, string temp, string? warcio)
    {
        Console.Error.Write($"  {input.Shape}, {input.Compression}: ");
        var slug = $"{(input.Shape.StartsWith("many", StringComparison.Ordinal) ? "small" : "large")}-{input.Compression}";
        var dataset = WriteDataset(input, Path.Combine(temp, slug));
        // One state folder for every launch of this input: the warm-up launch's smoke run is remembered, as for a user
        // running the same plugin build on the same dataset again.
        var state = Path.Combine(temp, slug, "state");
        var path = Path.Combine(input.Directory, input.File);
        var floorPath = input.Compression == "gzip" ? path : Path.Combine(input.Directory, input.GzipTwin!);
        StartupTiming Launch(string name)
        {
            var launch = LaunchInPlace(layout, dataset, Path.Combine(temp, slug, "run"), [], state);
            if (launch.DocumentLines != input.Requests)
            {
                throw new InvalidOperationException($"letsdata run over {path} ({name}) wrote {launch.DocumentLines:N0} documents; expected {input.Requests:N0}:\n{launch.Output}");
            }

            return launch;
        }

        Console.Error.Write("warm-up ... ");
        Launch("warm-up");
        Inflate(floorPath);
        var workers = new List<StartupTiming>();
        var floors = new List<TimeSpan>();
        var nodes = new List<TimeSpan>();
        for (var i = 0; i < arguments.Reps; i++)
        {
            Console.Error.Write($"rep {i + 1} ... ");
            // Alternate the order: neither side always runs right after the other.
            if (i % 2 == 0)
            {
                floors.Add(Inflate(floorPath));
                workers.Add(Launch($"run-{i}"));
            }
            else
            {
                workers.Add(Launch($"run-{i}"));
                floors.Add(Inflate(floorPath));
            }

            // warcio in every rep too, best of them like the worker: one run after the worker's launches met the VM in
            // another phase (the same file took 7.8 s and 9.6 s in two runs ten minutes apart).
            if (warcio is not null)
            {
                nodes.Add(Warcio(warcio, path));
            }
        }

        Console.Error.WriteLine("done");
        var best = workers.MinBy(w => w.Exit);
        return new Row(input, new FileInfo(path).Length, best.Exit, best.Cpu, workers.Select(w => w.Exit).ToList(), floors.Min(),
            nodes.Count > 0 ? nodes.Min() : null);
    }

    /// <summary>
    /// A launch into the same folder as the launches before it, its output removed first: the dataset copy WorkerLaunch
    /// writes is then the same file every time, as when a user runs one dataset again (the smoke-run pass is remembered
    /// by the dataset file's content).
    /// </summary>
    private static StartupTiming LaunchInPlace(RepositoryLayout layout, string dataset, string runDirectory, IReadOnlyList<string> extra, string state)
    {
        foreach (var output in new[] { "documents", "errors" })
        {
            if (Directory.Exists(Path.Combine(runDirectory, output)))
            {
                Directory.Delete(Path.Combine(runDirectory, output), recursive: true);
            }
        }

        return WorkerLaunch.Measure(layout, dataset, runDirectory, extra, state);
    }

    /// <summary>One thread of .NET's GZipStream inflating the file to nowhere: the floor issue 16 names.</summary>
    private static TimeSpan Inflate(string gzipPath)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(256 * 1024);
        var stopwatch = Stopwatch.StartNew();
        using (var gzip = new GZipStream(new FileStream(gzipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), CompressionMode.Decompress))
        {
            while (gzip.Read(buffer) > 0)
            {
            }
        }

        return stopwatch.Elapsed;
    }

    private static TimeSpan Warcio(string warcioDirectory, string warc)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "CommonCrawl", "warcio-iterate.mjs");
        var stopwatch = Stopwatch.StartNew();
        var start = new ProcessStartInfo("node", [script, warc]) { RedirectStandardOutput = true, WorkingDirectory = warcioDirectory };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? stopwatch.Elapsed : throw new InvalidOperationException($"node {script} {warc} exited with {process.ExitCode}");
    }

    private static string WriteDataset(Input input, string folder)
    {
        Directory.CreateDirectory(folder);
        var config = new JsonObject
        {
            ["datasetName"] = "WholeProcessBench",
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "LocalFiles",
                ["artifactImplementationLanguage"] = "dotnet",
                ["artifactFile"] = "LetsData.Plugins.Samples/LetsData.Plugins.Samples.dll",
                ["rootPath"] = input.Directory,
                ["readerType"] = "Single File Reader",
                ["singleFileParserImplementationClassName"] = "LetsData.Plugins.Samples.TargetUris.TargetUriExtractor",
            },
            // WorkerLaunch points both output paths into each launch's own folder.
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "documents" },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "errors" },
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 1 },
            ["manifestFile"] = new JsonObject
            {
                ["manifestType"] = "S3ReaderTextManifestFile",
                ["readerType"] = "SINGLEFILEREADER",
                ["fileContents"] = input.File,
            },
        };
        var path = Path.Combine(folder, "whole-bench.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    private sealed record Startup(IReadOnlyList<StartupTiming> Remembered, IReadOnlyList<StartupTiming> Revalidated,
        IReadOnlyList<(string Span, double Ms)> Breakdown, IReadOnlyList<(string Span, double Ms)> RevalidatedBreakdown);

    /// <summary>
    /// datasets/target-uris.json: launches with the smoke run remembered from the warm-up launch (the state folder is
    /// shared) interleaved with <c>--revalidate</c> launches, every one with <c>--timings</c>.
    /// </summary>
    private static Startup MeasureStartup(RepositoryLayout layout, string temp)
    {
        Console.Error.Write("  start-up, datasets/target-uris.json: warm-up ... ");
        var dataset = Path.Combine(layout.Root, "datasets", "target-uris.json");
        var state = Path.Combine(temp, "startup", "state");
        var run = Path.Combine(temp, "startup", "run");
        LaunchInPlace(layout, dataset, run, ["--timings"], state);
        var remembered = new List<StartupTiming>();
        var revalidated = new List<StartupTiming>();
        for (var i = 0; i < StartupLaunches; i++)
        {
            Console.Error.Write($"launch {i + 1} ... ");
            remembered.Add(LaunchInPlace(layout, dataset, run, ["--timings"], state));
            revalidated.Add(LaunchInPlace(layout, dataset, run, ["--timings", "--revalidate"], state));
        }

        Console.Error.WriteLine("done");
        return new Startup(remembered, revalidated, MedianSpans(remembered), MedianSpans(revalidated));
    }

    /// <summary>Each <c>timings:</c> span's median over the launches, in the order the worker printed them.</summary>
    private static List<(string Span, double Ms)> MedianSpans(IReadOnlyList<StartupTiming> launches)
    {
        var spans = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var launch in launches)
        {
            foreach (Match match in TimingsLine().Matches(launch.Output))
            {
                var name = match.Groups["name"].Value.Trim();
                if (!spans.TryGetValue(name, out var values))
                {
                    spans[name] = values = [];
                    order.Add(name);
                }

                values.Add(double.Parse(match.Groups["ms"].Value, CultureInfo.InvariantCulture));
            }
        }

        return order.Select(name => (name, Median(spans[name]))).ToList();
    }

    [GeneratedRegex(@"^.*timings: (?<name>.+?)\s+(?<ms>[0-9.]+) ms\s*$", RegexOptions.Multiline)]
    private static partial Regex TimingsLine();

    /// <summary>One peak RSS row: the copies of the small corpus's gzip file in one input file, its size, the peak.</summary>
    private sealed record RssRow(int Copies, long InputBytes, long? Peak);

    private sealed record Rss(IReadOnlyList<RssRow> Rows, string LoadAtStart, string LoadAtEnd);

    /// <summary><c>--only rss</c>: just the peak RSS rows of <see cref="Run"/>, printed on their own.</summary>
    public static void RunRss(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[rss] peak RSS of the published worker over 1x, 10x and 100x the gzip input");
        WorkerPublisher.EnsurePublished(layout);
        var corpus = WgetWarcCorpus.Ensure(layout, RssCorpusMb);
        var temp = Directory.CreateTempSubdirectory("letsdata-bench-rss-");
        try
        {
            var rss = MeasureRss(layout, arguments, corpus, temp.FullName);
            var published = File.GetLastWriteTimeUtc(layout.WorkerExecutable).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            Console.WriteLine("R. Peak RSS (issue 16) — artifacts/letsdata/letsdata run (data-task processes), TargetUriExtractor, LocalFiles output,");
            Console.WriteLine($"   concurrency 1; worker published {published} UTC; nproc {Environment.ProcessorCount}");
            PrintRss(rss);
            Console.WriteLine();
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The worker's peak RSS (largest process) over the small corpus's gzip file and over 10 and 100 copies of it in
    /// one file (~50 MB, ~500 MB, ~5 GB): flat means nothing the worker keeps grows with the input. Each file is
    /// written just before its run and deleted after it, so at most one large copy is on disk at a time.
    /// </summary>
    private static Rss MeasureRss(RepositoryLayout layout, BenchArguments arguments, WgetWarcCorpus small, string temp)
    {
        int[] copies = arguments.Rss100x ? [1, 10, 100] : [1, 10];
        Console.Error.Write($"  peak RSS: {string.Join(", ", copies.Select(c => $"{c}x"))} the gzip input ... ");
        var loadAtStart = MachineLoad.Describe();
        var folder = Path.Combine(temp, "rss");
        Directory.CreateDirectory(folder);
        var rows = new List<RssRow>();
        foreach (var count in copies)
        {
            var file = Path.Combine(folder, $"copies-{count}.warc.gz");
            using (var output = File.Create(file))
            {
                for (var i = 0; i < count; i++)
                {
                    using var input = File.OpenRead(small.GzipPath);
                    input.CopyTo(output, 1 << 20);
                }
            }

            try
            {
                Console.Error.Write($"{count}x ... ");
                rows.Add(new RssRow(count, new FileInfo(file).Length, Peak(layout, folder, file)));
            }
            finally
            {
                File.Delete(file);
            }
        }

        Console.Error.WriteLine("done");
        return new Rss(rows, loadAtStart, MachineLoad.Describe());
    }

    private static long? Peak(RepositoryLayout layout, string folder, string file)
    {
        var name = Path.GetFileName(file).Replace(".warc.gz", "", StringComparison.Ordinal);
        var dataset = WriteDataset(new Input("rss", "gzip", folder, Path.GetFileName(file), 0, null), Path.Combine(folder, name));
        var run = Path.Combine(folder, name, "run");
        var config = JsonNode.Parse(File.ReadAllText(dataset))!;
        config["writeConnector"]!["outputPath"] = Path.Combine(run, "documents");
        config["errorConnector"]!["outputPath"] = Path.Combine(run, "errors");
        File.WriteAllText(dataset, config.ToJsonString());
        try
        {
            return PeakRss.Measure(layout.Root, layout.WorkerExecutable,
                ["run", "--dataset", dataset, "--plugins", layout.PluginsDirectory, "--state", Path.Combine(run, "state"), "--rerun-completed"]);
        }
        finally
        {
            Directory.Delete(Path.Combine(folder, name), recursive: true);
        }
    }

    private static void PrintRss(Rss rss)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  peak RSS    largest process of the run (supervisor or data-task process; getrusage RUSAGE_CHILDREN); load {rss.LoadAtStart} → {rss.LoadAtEnd}"));
        Console.WriteLine("              " + string.Join("; ", rss.Rows.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"{r.Copies}x ({r.InputBytes / 1e6:F0} MB gzip): {Mb(r.Peak)}"))));
    }

    private static void Print(RepositoryLayout layout, BenchArguments arguments, WgetWarcCorpus small, CommonCrawlCorpus large, IReadOnlyList<Row> rows,
        Startup startup, Rss rss, string loadAtStart, string loadAfterThroughput, string? warcioMissing)
    {
        var published = File.GetLastWriteTimeUtc(layout.WorkerExecutable).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Console.WriteLine("W. Whole process (issue 16) — artifacts/letsdata/letsdata run (data-task processes), TargetUriExtractor, LocalFiles output,");
        Console.WriteLine("   process start → exit, as a user runs it; concurrency 1 (one file, one task)");
        Console.WriteLine($"  machine     nproc {Environment.ProcessorCount}; load {loadAtStart} at start, {loadAfterThroughput} after the throughput rows, {MachineLoad.Describe()} at the end");
        Console.WriteLine($"  worker      published {published} UTC");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  corpora     small: {Path.GetRelativePath(layout.Root, small.Directory)}: {small.Records:N0} records ({small.Requests:N0} URLs), "
            + $"{small.PlainBytes / 1e6:F0} MB plain, {new FileInfo(small.GzipPath).Length / 1e6:F0} MB gzip (one member per record), "
            + $"{small.PlainBytes / (double)Math.Max(1, small.Records):N0} B per record on average"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"              large: {Path.GetRelativePath(layout.Root, large.Directory)}: {large.Urls:N0} URLs × 3 records, {large.WarcBytes / 1e6:F0} MB plain, "
            + $"{new FileInfo(large.PathOf(CommonCrawlCorpus.Warc)).Length / 1e6:F0} MB gzip"));
        Console.WriteLine($"  method      per input: 1 warm-up launch (its smoke run is remembered), then {arguments.Reps} launches interleaved with");
        Console.WriteLine("              the floor (one thread of .NET GZipStream inflating the gzip file to nowhere, in the bench process) and");
        Console.WriteLine("              warcio.js 2.4.11 in Node (bench/.../warcio-iterate.mjs), best of each; plain rows are held against the floor of their gzip twin");
        Console.WriteLine();
        Console.WriteLine($"  {"input",-42} {"comp.",-6} {"MB",6} {"letsdata",9} {"cpu",7} {"floor",8} {"÷floor",7} {"warcio",8} {"× warcio",9}   all launches (s)");
        foreach (var row in rows)
        {
            var ratio = row.Floor is { } floor ? floor / row.Worker : (double?)null;
            var times = row.Warcio is { } node ? node / row.Worker : (double?)null;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {row.Input.Shape,-42} {row.Input.Compression,-6} {row.FileBytes / 1e6,6:F0} {row.Worker.TotalSeconds,8:F3}s {row.WorkerCpu?.TotalSeconds,6:F2}s "
                + $"{row.Floor?.TotalSeconds,7:F3}s {ratio,7:F2} {row.Warcio?.TotalSeconds,7:F2}s {times,8:F1}x   "
                + $"{string.Join(" ", row.WorkerAll.Select(t => t.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)))}"));
        }

        if (warcioMissing is not null)
        {
            Console.WriteLine($"  warcio not measured: {warcioMissing}");
        }

        foreach (var row in rows.Where(r => r.Input.Compression == "gzip"))
        {
            var ratio = row.Floor!.Value / row.Worker;
            ReportWriter.Target($"whole process ≥ {FloorTarget:F1} of one-thread inflate, {row.Input.Shape}", ratio >= FloorTarget, $"{ratio:F2}");
        }

        foreach (var row in rows.Where(r => r.Warcio is not null))
        {
            var times = row.Warcio!.Value / row.Worker;
            ReportWriter.Target($"≥ {WarcioTarget:F0}x warcio, {row.Input.Shape}, {row.Input.Compression}", times >= WarcioTarget, $"{times:F1}x");
        }

        Console.WriteLine();
        var rememberedExit = Median(startup.Remembered.Select(r => r.Exit.TotalMilliseconds).ToList());
        var revalidatedExit = Median(startup.Revalidated.Select(r => r.Exit.TotalMilliseconds).ToList());
        Console.WriteLine($"  start-up    datasets/target-uris.json ({startup.Remembered[0].DocumentLines:N0} documents), {StartupLaunches} launches each, interleaved, "
            + "after 1 warm-up launch; all with --timings; median ms");
        Console.WriteLine($"  {"",-64} {"remembered",11} {"--revalidate",13}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"start → first document",-64} {Median(startup.Remembered.Select(r => r.FirstDocument.TotalMilliseconds).ToList()),11:F0} "
            + $"{Median(startup.Revalidated.Select(r => r.FirstDocument.TotalMilliseconds).ToList()),13:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"start → exit (bench clock)",-64} {rememberedExit,11:F0} {revalidatedExit,13:F0}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"  all launches, start → exit",-64} {string.Join(" ", startup.Remembered.Select(r => r.Exit.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))} | "
            + $"{string.Join(" ", startup.Revalidated.Select(r => r.Exit.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)))}"));
        var revalidatedSpans = startup.RevalidatedBreakdown.ToDictionary(s => Shorten(s.Span), s => s.Ms, StringComparer.Ordinal);
        foreach (var (span, ms) in startup.Breakdown)
        {
            var other = revalidatedSpans.TryGetValue(Shorten(span), out var value) ? value.ToString("F0", CultureInfo.InvariantCulture) : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"  " + span,-64} {ms,11:F0} {other,13}"));
        }

        foreach (var (span, ms) in startup.RevalidatedBreakdown.Where(s => !startup.Breakdown.Any(b => Shorten(b.Span) == Shorten(s.Span))))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"  " + span,-64} {"",11} {ms,13:F0}"));
        }

        var total = startup.Breakdown.LastOrDefault().Ms;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {"  exit after the last span (host stop, runtime shutdown, reaping)",-64} {rememberedExit - total,11:F0}"));
        ReportWriter.Target($"start-up ≤ {StartupTarget.TotalSeconds:F1} s start → exit (median, smoke run remembered)",
            rememberedExit <= StartupTarget.TotalMilliseconds, $"{rememberedExit:F0} ms");
        Console.WriteLine();
        PrintRss(rss);
        Console.WriteLine();
    }

    // The smoke-run span's name says whether it ran; both columns line up on the rest.
    private static string Shorten(string span) => span.Replace(", smoke run", "", StringComparison.Ordinal);

    private static string Mb(long? bytes) => bytes is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b / 1e6:F0} MB") : "n/a";

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LetsData.Benchmarks.CommonCrawl;

namespace LetsData.Benchmarks;

/// <summary>
/// Measurement 7 (<c>--only isolation</c>): the published worker as a user runs it, <c>letsdata run</c> (the plugin in
/// supervised data-task processes, one per concurrency slot) next to <c>letsdata run --in-process</c> (the plugin in
/// the worker), whole processes, interleaved in this one run: (a) throughput over copies of the Common Crawl bench's
/// generated WARC, one task per copy; (b) start-up on datasets/target-uris.json (process start → first document, → exit).
/// </summary>
internal static partial class IsolationBenchmark
{
    /// <summary>The issue's target: a confined run keeps ≥ 0.95 of an unconfined in-process run's throughput.</summary>
    private const double TargetRatio = 0.95;

    private const int ThroughputLaunches = 3;
    private const int StartupLaunches = 5;

    /// <summary>
    /// Eight task files for two slots: each data-task process runs four tasks one after the other, as in a dataset of
    /// many files (a process is reused across tasks, so its start-up and its JIT are paid once per slot; 7b reports the
    /// start-up on its own).
    /// </summary>
    private const int TaskFiles = 8;

    private const int Concurrency = 2;

    private static readonly Mode[] Modes =
    [
        new("data-task processes (default)", "supervised", []),
        new("--in-process", "in-process", ["--in-process"]),
    ];

    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[isolation] letsdata run (data-task processes) vs letsdata run --in-process");
        WorkerPublisher.EnsurePublished(layout);
        var corpus = CommonCrawlSetup.EnsureCorpus(layout, arguments.CommonCrawlUrls);
        var loadAtStart = MachineLoad.Describe();
        var temp = Directory.CreateTempSubdirectory("letsdata-bench-isolation-");
        try
        {
            // Start-up first: its warm-up launches also bring the worker's and the plugin's files into the page cache.
            Console.Error.WriteLine("  (b) start-up, datasets/target-uris.json");
            var startupDataset = Path.Combine(layout.Root, "datasets", "target-uris.json");
            var startup = Interleave(StartupLaunches, warmUp: true, (mode, launch) =>
                WorkerLaunch.Measure(layout, startupDataset, Path.Combine(temp.FullName, "startup", $"{mode.Slug}-{launch}"), mode.Arguments));

            Console.Error.Write($"  (a) throughput: copying {CommonCrawlCorpus.Warc} to {TaskFiles} task files ... ");
            var input = Path.Combine(temp.FullName, "input");
            var dataset = WriteThroughputDataset(corpus, input, temp.FullName);
            Console.Error.WriteLine("done");
            var runs = Path.Combine(temp.FullName, "throughput");
            var throughput = Interleave(ThroughputLaunches, warmUp: false, (mode, launch) =>
                WorkerLaunch.Measure(layout, dataset, Path.Combine(runs, $"{mode.Slug}-{launch}"),
                    [.. mode.Arguments, "--concurrency", Concurrency.ToString(CultureInfo.InvariantCulture)]));
            var documentBytes = CompareDocuments(corpus, runs, throughput);

            PrintHeader(layout, corpus, loadAtStart, throughput);
            PrintThroughput(corpus, input, throughput, documentBytes, runs);
            PrintStartup(layout, startupDataset, startup);
        }
        finally
        {
            temp.Delete(recursive: true);
        }
    }

    /// <summary>
    /// One launch of each mode per round (A B A B ...), so that drift of the machine (other builds) hits both modes; with
    /// <paramref name="warmUp"/>, one unreported round first.
    /// </summary>
    private static Dictionary<Mode, Launches> Interleave(int launches, bool warmUp, Func<Mode, string, StartupTiming> launch)
    {
        var results = Modes.ToDictionary(m => m, _ => new Launches());
        if (warmUp)
        {
            Console.Error.Write("    warm-up ... ");
            foreach (var mode in Modes)
            {
                results[mode].WarmUp = launch(mode, "warm-up");
            }
        }

        for (var i = 0; i < launches; i++)
        {
            Console.Error.Write($"round {i + 1} ... ");
            foreach (var mode in Modes)
            {
                results[mode].Runs.Add(launch(mode, (i + 1).ToString(CultureInfo.InvariantCulture)));
            }
        }

        Console.Error.WriteLine("done");
        return results;
    }

    /// <summary>First <c>startedAt</c> to last <c>endedAt</c> over a launch's task records.</summary>
    private static TimeSpan TaskPhase(string tasksFolder)
    {
        var records = Directory.EnumerateFiles(tasksFolder, "*.json").Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList();
        var started = records.Min(r => DateTimeOffset.Parse((string)r["startedAt"]!, CultureInfo.InvariantCulture));
        var ended = records.Max(r => DateTimeOffset.Parse((string)r["endedAt"]!, CultureInfo.InvariantCulture));
        return ended - started;
    }

    /// <summary>
    /// The dataset of (a): TargetUriExtractor over <see cref="TaskFiles"/> copies of the corpus's WARC in a folder of
    /// this run (a LocalFiles root the data-task processes may read however they are fenced), one task per copy.
    /// </summary>
    private static string WriteThroughputDataset(CommonCrawlCorpus corpus, string input, string runDirectory)
    {
        Directory.CreateDirectory(input);
        var files = Enumerable.Range(1, TaskFiles).Select(i => $"part-{i}.warc.gz").ToList();
        foreach (var file in files)
        {
            File.Copy(corpus.PathOf(CommonCrawlCorpus.Warc), Path.Combine(input, file));
        }

        var config = new JsonObject
        {
            ["datasetName"] = "IsolationBench",
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "LocalFiles",
                ["artifactImplementationLanguage"] = "dotnet",
                ["artifactFile"] = "LetsData.Plugins.Samples/LetsData.Plugins.Samples.dll",
                ["rootPath"] = input,
                ["readerType"] = "Single File Reader",
                ["singleFileParserImplementationClassName"] = "LetsData.Plugins.Samples.TargetUris.TargetUriExtractor",
            },
            // WorkerLaunch points both output paths into each launch's own folder.
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "documents" },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "errors" },
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = Concurrency },
            ["manifestFile"] = new JsonObject
            {
                ["manifestType"] = "S3ReaderTextManifestFile",
                ["readerType"] = "SINGLEFILEREADER",
                ["fileContents"] = string.Join('\n', files),
            },
        };
        var path = Path.Combine(runDirectory, "isolation-bench.json");
        File.WriteAllText(path, config.ToJsonString());
        return path;
    }

    /// <summary>
    /// Every launch must have written every request record of every task file, and both modes the same documents:
    /// a fast run that lost or changed documents would be a lie. Returns the bytes of one launch's documents, which
    /// every launch matched byte for byte.
    /// </summary>
    private static long CompareDocuments(CommonCrawlCorpus corpus, string runs, Dictionary<Mode, Launches> results)
    {
        // TargetUriExtractor writes one document per request record, and the corpus has one request record per URL.
        var expected = (long)TaskFiles * corpus.Urls;
        var reference = DocumentFiles(Path.Combine(runs, $"{Modes[0].Slug}-1"));
        foreach (var (mode, launches) in results)
        {
            for (var i = 0; i < launches.Runs.Count; i++)
            {
                var launch = launches.Runs[i];
                var summary = Summary.Parse(launch.Output);
                if (launch.DocumentLines != expected || summary.Records != expected || summary.Documents != expected || summary.Errored != 0)
                {
                    throw new InvalidOperationException(
                        $"{mode.Slug} launch {i + 1}: {launch.DocumentLines:N0} document lines on disk, summary {summary.Records:N0} records, "
                        + $"{summary.Documents:N0} documents, {summary.Errored} errored task(s); expected {expected:N0}:\n{launch.Output}");
                }

                var files = DocumentFiles(Path.Combine(runs, $"{mode.Slug}-{i + 1}"));
                if (!files.Select(Path.GetFileName).SequenceEqual(reference.Select(Path.GetFileName), StringComparer.Ordinal)
                    || !files.Zip(reference).All(pair => File.ReadAllBytes(pair.First).AsSpan().SequenceEqual(File.ReadAllBytes(pair.Second))))
                {
                    throw new InvalidOperationException(
                        $"{mode.Slug} launch {i + 1} wrote other documents than {Modes[0].Slug} launch 1 ({string.Join(", ", files.Select(Path.GetFileName))})");
                }
            }
        }

        return reference.Sum(f => new FileInfo(f).Length);
    }

    private static List<string> DocumentFiles(string launch) =>
        Directory.EnumerateFiles(Path.Combine(launch, "documents"), "*.jsonl").Order(StringComparer.Ordinal).ToList();

    private static void PrintHeader(RepositoryLayout layout, CommonCrawlCorpus corpus, string loadAtStart, Dictionary<Mode, Launches> throughput)
    {
        var published = File.GetLastWriteTimeUtc(layout.WorkerExecutable).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Console.WriteLine($"7. Isolation — {Path.GetRelativePath(layout.Root, layout.WorkerExecutable)} run (plugin in data-task processes) "
            + "vs run --in-process (plugin in the worker), whole processes, interleaved");
        Console.WriteLine($"  machine     {Environment.ProcessorCount} cores; load {loadAtStart} at the start of this section, "
            + $"{MachineLoad.Describe()} after it");
        Console.WriteLine($"  worker      published {published} UTC; corpus {Path.GetRelativePath(layout.Root, corpus.Directory)} ({corpus.Origin})");
        // What the supervisor logs about its data-task processes: the heap limit, credentials and, once it is applied,
        // the confinement (Landlock, seccomp) and what this kernel lacks.
        var facts = Regex.Matches(throughput[Modes[0]].Runs[0].Output, "data-task processes:? (.*)$", RegexOptions.Multiline)
            .Select(m => m.Value.TrimEnd()).ToList();
        var confined = facts.Any(f => f.Contains("landlock", StringComparison.OrdinalIgnoreCase) || f.Contains("seccomp", StringComparison.OrdinalIgnoreCase));
        Console.WriteLine($"  fence       {(confined ? "the supervisor reports a confinement (below)" : "no confinement reported by the supervisor (not applied by this build)")}");
        foreach (var fact in facts)
        {
            Console.WriteLine($"              {fact}");
        }
    }

    private static void PrintThroughput(CommonCrawlCorpus corpus, string input, Dictionary<Mode, Launches> results, long documentBytes, string runsFolder)
    {
        var gzip = new FileInfo(Path.Combine(input, "part-1.warc.gz")).Length;
        var summary = Summary.Parse(results[Modes[0]].Runs[0].Output);
        Console.WriteLine($"  7a. Throughput — TargetUriExtractor, {TaskFiles} task files (copies of {CommonCrawlCorpus.Warc}: "
            + $"{TaskFiles} x {corpus.WarcBytes / Throughput.BytesPerMb:F1} MB decompressed, {TaskFiles} x {gzip / Throughput.BytesPerMb:F1} MB gzip), "
            + $"--concurrency {Concurrency}");
        Console.WriteLine($"      {ThroughputLaunches} launches per mode, interleaved (A B A B A B), fresh --state and output folders, --rerun-completed;");
        Console.WriteLine("      wall = Process.Start → worker exit; records and decompressed bytes from the run summary on stdout");
        Console.WriteLine($"      ({summary.Records:N0} records, {summary.BytesScanned / Throughput.BytesPerMb:F1} MB decompressed per launch); "
            + "of the best launch: summary = the run's own time (RunSummary),");
        Console.WriteLine("      cpu = worker + data-task processes (user + system); records/s and MB/s are per wall second");
        Console.WriteLine($"  {"mode",-31} {"best",8} {"median",8} {"records/s",10} {"MB/s",7} {"summary",8} {"cpu",7}   all launches, wall (s)");
        foreach (var mode in Modes)
        {
            var runs = results[mode].Runs;
            var best = runs.MinBy(r => r.Exit);
            var parsed = Summary.Parse(best.Output);
            var all = string.Join(" ", runs.Select(r => r.Exit.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)));
            Console.WriteLine($"  {mode.Name,-31} {best.Exit.TotalSeconds,7:F2}s {Median(runs.Select(r => r.Exit).ToList()).TotalSeconds,7:F2}s "
                + $"{parsed.Records / best.Exit.TotalSeconds,10:N0} {parsed.BytesScanned / Throughput.BytesPerMb / best.Exit.TotalSeconds,7:N0} "
                + $"{parsed.Elapsed.TotalSeconds,7:F2}s {Seconds(best.Cpu),7}   {all}");
        }

        var ratio = results[Modes[1]].Runs.Min(r => r.Exit).TotalSeconds / results[Modes[0]].Runs.Min(r => r.Exit).TotalSeconds;
        var medianRatio = Median(results[Modes[1]].Runs.Select(r => r.Exit).ToList()).TotalSeconds
            / Median(results[Modes[0]].Runs.Select(r => r.Exit).ToList()).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ratio data-task processes / in-process, whole process: {ratio:F2} (best wall times; medians {medianRatio:F2}); start-up included (7b)"));
        // The task phase: from the first task's claim to the last task's completion, as the task records say — the
        // throughput of the tasks once the processes are up, without the start-up that 7b reports on its own.
        var phases = Modes.ToDictionary(mode => mode, mode => Enumerable.Range(1, ThroughputLaunches)
            .Select(i => TaskPhase(Path.Combine(runsFolder, $"{mode.Slug}-{i}", "state", "tasks"))).ToList());
        foreach (var mode in Modes)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  task phase  {mode.Name,-31} best {phases[mode].Min().TotalSeconds:F2}s, all {string.Join(" ", phases[mode].Select(p => p.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture)))}"));
        }

        var phaseRatio = phases[Modes[1]].Min().TotalSeconds / phases[Modes[0]].Min().TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  ratio data-task processes / in-process, task phase (first claim → last completion): {phaseRatio:F2} (best of {ThroughputLaunches})"));
        Console.WriteLine($"  documents   every launch wrote {results[Modes[0]].Runs[0].DocumentLines:N0} lines, "
            + $"{documentBytes / Throughput.BytesPerMb:F1} MB, byte for byte the same in both modes");
        ReportWriter.Target($"≥ {TargetRatio:F2} of the in-process throughput, task phase (best of {ThroughputLaunches})",
            phaseRatio >= TargetRatio, $"{phaseRatio:F2}");
    }

    private static void PrintStartup(RepositoryLayout layout, string dataset, Dictionary<Mode, Launches> results)
    {
        Console.WriteLine($"  7b. Start-up — run --dataset {Path.GetRelativePath(layout.Root, dataset)} (copy with temp output paths), "
            + $"{StartupLaunches} launches per mode after 1 warm-up launch each, interleaved;");
        Console.WriteLine($"      first document = first non-empty *.jsonl(.inprogress) in the documents folder, polled every 2 ms; "
            + $"{results[Modes[0]].Runs[0].DocumentLines:N0} document(s) per run");
        Console.WriteLine($"  {"mode",-31} {"",-24} {"min",8} {"median",8} {"warm-up",8}   all launches (ms)");
        foreach (var mode in Modes)
        {
            var launches = results[mode];
            var warmUp = launches.WarmUp ?? throw new InvalidOperationException("the start-up launches had no warm-up");
            Line(mode.Name, "start → first document", launches.Runs.Select(r => r.FirstDocument).ToList(), warmUp.FirstDocument);
            Line("", "start → exit", launches.Runs.Select(r => r.Exit).ToList(), warmUp.Exit);
        }

        var first = Modes.Select(m => Median(results[m].Runs.Select(r => r.FirstDocument).ToList())).ToList();
        Console.WriteLine($"  data-task processes add {(first[0] - first[1]).TotalMilliseconds:F0} ms to the median start → first document");
        Console.WriteLine();
    }

    private static void Line(string mode, string measure, IReadOnlyList<TimeSpan> values, TimeSpan warmUp)
    {
        var all = string.Join(" ", values.Select(v => v.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture)));
        Console.WriteLine($"  {mode,-31} {measure,-24} {values.Min().TotalMilliseconds,6:F0}ms {Median(values).TotalMilliseconds,6:F0}ms "
            + $"{warmUp.TotalMilliseconds,6:F0}ms   {all}");
    }

    private static string Seconds(TimeSpan? cpu) =>
        cpu is { } value ? value.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + "s" : "n/a";

    private static TimeSpan Median(IReadOnlyList<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>A way to run the worker: its name in the report, in folder names, and its extra <c>run</c> arguments.</summary>
    private sealed record Mode(string Name, string Slug, string[] Arguments);

    private sealed class Launches
    {
        public StartupTiming? WarmUp { get; set; }
        public List<StartupTiming> Runs { get; } = [];
    }

    /// <summary>The run summary the worker prints on stdout (RunSummaryPrinter).</summary>
    private readonly record struct Summary(long Records, long Documents, long BytesScanned, int Errored, TimeSpan Elapsed)
    {
        public static Summary Parse(string output)
        {
            var dataset = DatasetLine().Match(output);
            var records = RecordsLine().Match(output);
            var bytes = BytesLine().Match(output);
            if (!dataset.Success || !records.Success || !bytes.Success)
            {
                throw new InvalidOperationException($"no run summary in the worker's output:\n{output}");
            }

            var inv = CultureInfo.InvariantCulture;
            return new Summary(long.Parse(records.Groups[1].Value, inv), long.Parse(records.Groups[2].Value, inv),
                long.Parse(bytes.Groups[1].Value, inv), int.Parse(dataset.Groups[1].Value, inv),
                TimeSpan.FromSeconds(double.Parse(dataset.Groups[2].Value, inv)));
        }
    }

    [GeneratedRegex(@"^Dataset .*: \d+ task\(s\) completed, (\d+) errored.* in ([0-9.]+) s$", RegexOptions.Multiline)]
    private static partial Regex DatasetLine();

    [GeneratedRegex(@"^  records (\d+), documents (\d+),", RegexOptions.Multiline)]
    private static partial Regex RecordsLine();

    [GeneratedRegex(@"^  bytes read \d+ \((\d+) scanned, decompressed\)", RegexOptions.Multiline)]
    private static partial Regex BytesLine();
}

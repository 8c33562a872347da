using System.Globalization;
using LetsData.Benchmarks.CommonCrawl;
using LetsData.Plugins.Samples.CommonCrawl;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.State;
using LetsData.Runtime.Writing;

namespace LetsData.Benchmarks;

/// <summary>
/// Measurement 6 (<c>--only checkpoints</c>): what checkpoints cost. The worker's own pieces on both sides — the
/// engine, LocalFiles output (written to a temp folder), the task ledger over the local task store — once without
/// mid-task checkpoints and once with one every 1,000 records (each: flush and fsync both outputs, capture the readers'
/// positions, write the task record atomically), interleaved in this run. Workloads: CommonCrawlReader over the
/// generated trio, and TargetUriExtractor over its WARC (cheap records: the worst case for a per-records cadence).
/// </summary>
internal static class CheckpointOverheadBenchmark
{
    private const long EveryRecords = 1_000;
    private const double TargetCost = 0.05;

    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[checkpoints] checkpoint overhead");
        var corpus = CommonCrawlSetup.EnsureCorpus(layout, arguments.CommonCrawlUrls);
        var files = CommonCrawlCorpus.GzipFiles;
        DataTaskDefinition multi = new("task-0001", 1, string.Join('|', files),
            [new ManifestFileRef("WARC", files[0]), new ManifestFileRef("WAT", files[1]), new ManifestFileRef("WET", files[2])]);
        DataTaskDefinition single = new("task-0001", 1, files[0], [new ManifestFileRef(null, files[0])]);
        var workloads = new (string Name, ReaderBinding Binding, DataTaskDefinition Task)[]
        {
            ("CommonCrawlReader (WARC+WAT+WET)", new MultipleFileStateMachineReaderBinding("bench", () => new CommonCrawlReader()), multi),
            ("TargetUriExtractor (WARC)", new SingleFileReaderBinding("bench", () => new TargetUriExtractor()), single),
        };

        Console.WriteLine("6. Checkpoint overhead — engine + LocalFiles output + task ledger on the local store, concurrency 1");
        Console.WriteLine($"  corpus      {Path.GetRelativePath(layout.Root, corpus.Directory)}: {corpus.Urls:N0} URLs, gzip trio {corpus.CompressedBytes / Throughput.BytesPerMb:F1} MB");
        foreach (var (name, binding, task) in workloads)
        {
            Console.Error.WriteLine($"  {name}");
            var checkpoints = 0;
            var result = SideBySide.Measure(arguments.Reps,
                "no mid-task checkpoints", () => RunOnce(binding, corpus.Directory, task, null, out _),
                $"a checkpoint every {EveryRecords:N0} records", () => RunOnce(binding, corpus.Directory, task,
                    new CheckpointInterval(EveryRecords, null), out checkpoints));
            Console.WriteLine($"  {name}: {checkpoints:N0} checkpoints per run; load {MachineLoad.Describe()} after the runs");
            ReportWriter.Comparison(result, "with checkpoints / without", byRecords: true);
            var cost = 1 - result.RecordsRatio;
            ReportWriter.Target($"checkpoint cost ≤ {TargetCost:P0} ({name})", cost <= TargetCost,
                string.Create(CultureInfo.InvariantCulture, $"{cost:P1}"));
        }

        Console.WriteLine();
    }

    private static Throughput RunOnce(ReaderBinding binding, string inputDirectory, DataTaskDefinition task, CheckpointInterval? interval,
        out int checkpoints)
    {
        var scratch = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "letsdata-bench-checkpoints-" + Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var store = new LocalTaskStore(Path.Combine(scratch, "state"));
            var leases = new TaskLeases(store, WorkerIdentity.Current, TimeSpan.FromMinutes(2), TimeProvider.System);
            RunSummary? summary = null;
            var throughput = SideBySide.Time(() =>
            {
                // Registration and the claim are part of a run on both sides.
                var ledger = StoreTaskLedger.OpenAsync(store, leases, "bench", "bench", [task], new StoreTaskLedgerOptions { TakeOverExpired = false },
                    TimeProvider.System).GetAwaiter().GetResult();
                var engine = new DataTaskEngine("bench", binding, new LocalFileSource(inputDirectory),
                    new LocalFilesDocumentSinkFactory(Path.Combine(scratch, "documents")), new LocalFilesErrorSinkFactory(Path.Combine(scratch, "errors")),
                    new EngineOptions { Concurrency = 1, Checkpoints = interval });
                summary = engine.RunAsync(ledger).GetAwaiter().GetResult();
                ledger.DisposeAsync().AsTask().GetAwaiter().GetResult();
                return (summary.Records, summary.BytesRead);
            });
            if (summary!.Errored != 0)
            {
                throw new InvalidOperationException($"the benchmark task errored: {summary.Tasks[0].ErrorMessage}");
            }

            checkpoints = summary.CheckpointsSaved;
            return throughput;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}

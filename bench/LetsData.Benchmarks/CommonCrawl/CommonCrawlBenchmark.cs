using System.Diagnostics;
using System.Globalization;
using LetsData.Plugins.Samples.CommonCrawl;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.Gzip;
using LetsData.Runtime.Writing;

namespace LetsData.Benchmarks.CommonCrawl;

/// <summary>
/// Measurement 4 (<c>--only commoncrawl</c>, part of the default run): the Common Crawl workload over a generated trio
/// (tests/CorpusGenerator, cached under artifacts/commoncrawl-corpus/): (a) CommonCrawlReader through the real engine
/// next to decompression-only of the same three files (GzipMemberStream); (b) TargetUriExtractor through the engine over the
/// WARC next to npm warcio iterating the same file in Node (a child process), on the gzip file and on an uncompressed
/// copy of it. Both sides of each comparison run interleaved in this one run (<see cref="SideBySide"/>).
/// </summary>
internal static class CommonCrawlBenchmark
{
    private const double ReaderTargetRatio = 0.8;
    private const double WarcioTargetRatio = 10;

    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[commoncrawl] Common Crawl sample");
        var corpus = CommonCrawlSetup.EnsureCorpus(layout, arguments.CommonCrawlUrls);
        var warcio = CommonCrawlSetup.EnsureWarcio(layout, out var warcioMissing);
        var compressed = corpus.CompressedBytes;

        Console.Error.WriteLine("  (a) CommonCrawlReader vs decompression only");
        // The floor: plain decompression of the three files to nowhere, one after another, with the fastest
        // inflater the worker has (GzipMemberStream). The stricter 2-core floor, the three inflated at once as the
        // reader's inputs are, is reported next to it.
        var reader = SideBySide.Measure(arguments.Reps,
            "GzipMemberStream decompression only (3 files)", () => DecompressTrio(corpus, compressed, parallel: false),
            "engine + CommonCrawlReader", () => RunReader(corpus, compressed));
        var parallelFloor = Enumerable.Range(0, arguments.Reps).Select(_ => DecompressTrio(corpus, compressed, parallel: true)).MinBy(t => t.Elapsed);

        Console.WriteLine("4. Common Crawl — generated WARC/WAT/WET trio, real engine, discarding sinks, concurrency 1");
        Console.WriteLine($"  corpus      {Path.GetRelativePath(layout.Root, corpus.Directory)} ({corpus.Origin}): {corpus.Urls:N0} URLs "
            + $"({corpus.CompleteUrls:N0} complete, {corpus.WetGaps} WET gaps, {corpus.Corruptions} corrupted); "
            + $"uncompressed WARC {corpus.WarcBytes / Throughput.BytesPerMb:F1} MB; gzip trio {compressed / Throughput.BytesPerMb:F1} MB "
            + string.Join(" + ", CommonCrawlCorpus.GzipFiles.Select(f => $"{new FileInfo(corpus.PathOf(f)).Length / Throughput.BytesPerMb:F1}")));
        Console.WriteLine("  4a. CommonCrawlReader (one IndexRecord per URL) vs decompression of the same three files to nowhere, one after");
        Console.WriteLine("      another (the worker's GzipMemberStream, ~1.25x GZipStream);");
        Console.WriteLine("      records/s below are URLs/s, MB/s are compressed MB/s (the three .gz files)");
        Console.WriteLine($"  load        {MachineLoad.Describe()} after the runs");
        ReportWriter.Comparison(reader, "CommonCrawlReader / decompression only");
        ReportWriter.Target($"≥ {ReaderTargetRatio:F1} of decompression-only throughput", reader.Ratio >= ReaderTargetRatio, $"{reader.Ratio:F2}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  2-core floor: the three files inflated at once {parallelFloor.Elapsed.TotalSeconds:F3} s (best of {arguments.Reps}); the reader reaches "
            + $"{parallelFloor.Elapsed.TotalSeconds / reader.BestEngine.Elapsed.TotalSeconds:F2} of it"));

        var requests = corpus.Urls;
        foreach (var (file, label) in new[] { (CommonCrawlCorpus.Warc, "gzip"), (CommonCrawlCorpus.PlainWarc, "uncompressed") })
        {
            var bytes = new FileInfo(corpus.PathOf(file)).Length;
            Console.WriteLine($"  4b. TargetUriExtractor vs warcio, {label} WARC {file} ({bytes / Throughput.BytesPerMb:F1} MB on disk)");
            if (warcio is null)
            {
                Console.WriteLine($"      warcio not measured: {warcioMissing}");
                continue;
            }

            Console.Error.WriteLine($"  (b) TargetUriExtractor vs warcio, {label} WARC");
            var script = Path.Combine(AppContext.BaseDirectory, "CommonCrawl", "warcio-iterate.mjs");
            var result = SideBySide.Measure(arguments.Reps,
                "warcio 2.4.11 in Node (every record)", () => RunNode(script, warcio, corpus.PathOf(file), bytes),
                "engine + TargetUriExtractor (request records)", () => RunTargetUris(new LocalFileSource(corpus.Directory), file, requests, bytes));
            var node = result.BestBaseline;
            var engine = result.BestEngine;
            Console.WriteLine("      records/s: warcio counts every record it iterates (warcinfo + request/response/metadata per URL),");
            Console.WriteLine("      TargetUriExtractor its documents (one per request record); MB/s are bytes of the file on disk");
            Console.WriteLine($"  load        {MachineLoad.Describe()} after the runs");
            ReportWriter.Comparison(result, "same file, warcio time / TargetUriExtractor time");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  request records/s: TargetUriExtractor {engine.RecordsPerSecond:N0}, warcio {requests / node.Elapsed.TotalSeconds:N0} "
                + $"(= {requests:N0} request records in its {node.Elapsed.TotalSeconds:F3} s); all records/s: warcio {node.RecordsPerSecond:N0}, "
                + $"TargetUriExtractor {node.Records / engine.Elapsed.TotalSeconds:N0} (the same {node.Records:N0} records in its {engine.Elapsed.TotalSeconds:F3} s)"));
            if (label == "gzip")
            {
                // The engine decompresses on the task thread: the extractor cannot beat its inflater over the same file.
                var gunzip = Enumerable.Range(0, arguments.Reps).Select(_ => DecompressOne(corpus.PathOf(file), bytes)).MinBy(t => t.Elapsed);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  floor: GzipMemberStream decompression of this file alone {gunzip.Elapsed.TotalSeconds:F3} s (best of {arguments.Reps}) "
                    + $"= at most {node.Elapsed.TotalSeconds / gunzip.Elapsed.TotalSeconds:F1}x warcio for any parser decompressing on one thread"));
            }

            ReportWriter.Target($"≥ {WarcioTargetRatio:F0}x warcio's records/s ({label})", result.Ratio >= WarcioTargetRatio, $"{result.Ratio:F1}x");
        }

        Console.WriteLine();
    }

    private static Throughput DecompressTrio(CommonCrawlCorpus corpus, long compressed, bool parallel)
    {
        return SideBySide.Time(() =>
        {
            var threads = parallel ? CommonCrawlCorpus.GzipFiles.Length : 1;
            Parallel.ForEach(CommonCrawlCorpus.GzipFiles, new ParallelOptions { MaxDegreeOfParallelism = threads }, file =>
            {
                var buffer = GC.AllocateUninitializedArray<byte>(256 * 1024);
                using var gzip = new GzipMemberStream(File.OpenRead(corpus.PathOf(file)));
                while (gzip.Read(buffer) > 0)
                {
                }
            });

            // URLs are not counted here (that is parsing); the corpus's URL count keeps records/s comparable.
            return (corpus.Urls, compressed);
        });
    }

    private static Throughput DecompressOne(string path, long bytes)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(256 * 1024);
        return SideBySide.Time(() =>
        {
            using var gzip = new GzipMemberStream(File.OpenRead(path));
            while (gzip.Read(buffer) > 0)
            {
            }

            return (0, bytes);
        });
    }

    private static Throughput RunReader(CommonCrawlCorpus corpus, long compressed)
    {
        var binding = new MultipleFileStateMachineReaderBinding("bench-commoncrawl", () => new CommonCrawlReader());
        var engine = new DataTaskEngine("bench", binding, new LocalFileSource(corpus.Directory),
            DiscardingSinkFactory.Instance, DiscardingSinkFactory.Instance, new EngineOptions { Concurrency = 1 });
        var files = CommonCrawlCorpus.GzipFiles;
        DataTaskDefinition[] tasks = [new("0", 1, string.Join('|', files),
            [new ManifestFileRef("WARC", files[0]), new ManifestFileRef("WAT", files[1]), new ManifestFileRef("WET", files[2])])];
        RunSummary? summary = null;
        var throughput = SideBySide.Time(() =>
        {
            summary = engine.RunAsync(tasks).GetAwaiter().GetResult();
            return (summary.Documents + summary.Skips + summary.Errors, compressed);
        });

        // A fast run that lost URLs would be a lie: one outcome per URL, an index record for every complete one.
        if (summary!.Errored != 0 || throughput.Records != corpus.Urls || summary.Documents != corpus.CompleteUrls)
        {
            throw new InvalidOperationException(
                $"the Common Crawl task is wrong: {summary.Documents:N0} documents, {summary.Skips:N0} skips, {summary.Errors:N0} errors, "
                + $"{summary.Errored} errored task(s) ({summary.Tasks[0].ErrorMessage}); expected {corpus.Urls:N0} URLs of which "
                + $"{corpus.CompleteUrls:N0} complete");
        }

        return throughput;
    }

    /// <summary>TargetUriExtractor over <paramref name="file"/> through the engine; throws unless every request record became a document.</summary>
    internal static Throughput RunTargetUris(IFileSource source, string file, long requests, long bytes)
    {
        var binding = new SingleFileReaderBinding("bench-target-uris", () => new TargetUriExtractor());
        var engine = new DataTaskEngine("bench", binding, source,
            DiscardingSinkFactory.Instance, DiscardingSinkFactory.Instance, new EngineOptions { Concurrency = 1 });
        DataTaskDefinition[] tasks = [new("0", 1, file, [new ManifestFileRef(null, file)])];
        RunSummary? summary = null;
        var throughput = SideBySide.Time(() =>
        {
            summary = engine.RunAsync(tasks).GetAwaiter().GetResult();
            return (summary.Documents, bytes);
        });

        if (summary!.Errored != 0 || summary.Documents != requests)
        {
            throw new InvalidOperationException(
                $"TargetUriExtractor over {source.Describe(file)} is wrong: {summary.Documents:N0} documents, {summary.Errors:N0} errors, "
                + $"{summary.Errored} errored task(s) ({summary.Tasks[0].ErrorMessage}); expected {requests:N0} request records");
        }

        return throughput;
    }

    private static Throughput RunNode(string script, string warcioDirectory, string warc, long bytes) => SideBySide.Time(() =>
    {
        var start = new ProcessStartInfo("node", [script, warc]) { RedirectStandardOutput = true, WorkingDirectory = warcioDirectory };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? (long.Parse(output.Trim(), CultureInfo.InvariantCulture), bytes)
            : throw new InvalidOperationException($"node {script} {warc} exited with {process.ExitCode}");
    });
}

using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using LetsData.Plugins.Samples.CommonCrawl;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Writing;

namespace LetsData.Benchmarks.CommonCrawl;

/// <summary>
/// The Common Crawl workload over a generated trio (tests/CorpusGenerator): the multi-file reader through the real
/// engine next to plain gzip decompression of the same three files, and TargetUriExtractor over the WARC next to
/// npm warcio iterating the same file in Node. Everything runs in this process (Node as a child), one after another.
/// </summary>
public static class CommonCrawlBenchmark
{
    /// <summary>Runs both comparisons and prints the figures.</summary>
    /// <param name="corpusDirectory">Folder with corpus.warc.gz, corpus.warc.wat.gz, corpus.warc.wet.gz.</param>
    /// <param name="warcioDirectory">Folder where <c>npm install warcio</c> was run (has node_modules/warcio); null skips Node.</param>
    /// <param name="reps">Repetitions of each side; the best run counts.</param>
    public static void Run(string corpusDirectory, string? warcioDirectory, int reps = 2)
    {
        // Node runs in the warcio folder: hand it absolute paths.
        corpusDirectory = Path.GetFullPath(corpusDirectory);
        warcioDirectory = warcioDirectory is null ? null : Path.GetFullPath(warcioDirectory);
        string[] files = ["corpus.warc.gz", "corpus.warc.wat.gz", "corpus.warc.wet.gz"];
        var compressed = files.Sum(f => new FileInfo(Path.Combine(corpusDirectory, f)).Length);

        var gunzip = Best(reps, () => files.Sum(f => DecompressToNowhere(Path.Combine(corpusDirectory, f))));
        var reader = Best(reps, () => RunReader(corpusDirectory, files));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"commoncrawl multi-file: gunzip-only {compressed / 1e6 / gunzip.Seconds:F1} compressed MB/s ({gunzip.Count / 1e6:F0} MB out, {gunzip.Seconds:F2} s); "
            + $"CommonCrawlReader {reader.Count / reader.Seconds:F0} URLs/s, {compressed / 1e6 / reader.Seconds:F1} compressed MB/s ({reader.Seconds:F2} s); "
            + $"ratio {gunzip.Seconds / reader.Seconds:F2} of decompression-only"));

        var warc = Path.Combine(corpusDirectory, files[0]);
        var extractor = Best(reps, () => RunTargetUris(corpusDirectory, files[0]));
        Console.Write(string.Create(CultureInfo.InvariantCulture,
            $"commoncrawl WARC: TargetUriExtractor {extractor.Count / extractor.Seconds:F0} request records/s ({extractor.Seconds:F2} s)"));
        if (warcioDirectory is not null && Directory.Exists(Path.Combine(warcioDirectory, "node_modules", "warcio")))
        {
            var script = Path.Combine(AppContext.BaseDirectory, "CommonCrawl", "warcio-iterate.mjs");
            var node = Best(reps, () => RunNode(script, warcioDirectory, warc));
            // warcio iterates every record (warcinfo + request/response/metadata per URL); compare like with like:
            // the time each takes over the same file, expressed as request records per second.
            Console.Write(string.Create(CultureInfo.InvariantCulture,
                $"; warcio (Node) {node.Count / node.Seconds:F0} records/s of all types ({node.Count} records, {node.Seconds:F2} s) = "
                + $"{extractor.Count / node.Seconds:F0} request records/s; ratio {node.Seconds / extractor.Seconds:F1}x"));
        }

        Console.WriteLine();
    }

    private static (long Count, double Seconds) Best(int reps, Func<long> body)
    {
        (long Count, double Seconds) best = (0, double.MaxValue);
        for (var i = 0; i < Math.Max(1, reps); i++)
        {
            var stopwatch = Stopwatch.StartNew();
            var count = body();
            var seconds = stopwatch.Elapsed.TotalSeconds;
            if (seconds < best.Seconds)
            {
                best = (count, seconds);
            }
        }

        return best;
    }

    private static long DecompressToNowhere(string path)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(256 * 1024);
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        long bytes = 0;
        int read;
        while ((read = gzip.Read(buffer)) > 0)
        {
            bytes += read;
        }

        return bytes;
    }

    private static long RunReader(string directory, string[] files)
    {
        var binding = new MultipleFileStateMachineReaderBinding("bench-commoncrawl", () => new CommonCrawlReader());
        var engine = new DataTaskEngine("bench", binding, new LocalFileSource(directory),
            DiscardingSinkFactory.Instance, DiscardingSinkFactory.Instance, new EngineOptions { Concurrency = 1 });
        DataTaskDefinition[] tasks = [new("0", 1, string.Join('|', files),
            [new ManifestFileRef("WARC", files[0]), new ManifestFileRef("WAT", files[1]), new ManifestFileRef("WET", files[2])])];
        var summary = engine.RunAsync(tasks).GetAwaiter().GetResult();
        if (summary.Errored != 0)
        {
            throw new InvalidOperationException($"the Common Crawl task failed: {summary.Tasks[0].ErrorMessage}");
        }

        return summary.Documents + summary.Skips + summary.Errors;
    }

    private static long RunTargetUris(string directory, string warc)
    {
        var binding = new SingleFileReaderBinding("bench-target-uris", () => new TargetUriExtractor());
        var engine = new DataTaskEngine("bench", binding, new LocalFileSource(directory),
            DiscardingSinkFactory.Instance, DiscardingSinkFactory.Instance, new EngineOptions { Concurrency = 1 });
        var summary = engine.RunAsync([new DataTaskDefinition("0", 1, warc, [new ManifestFileRef(null, warc)])]).GetAwaiter().GetResult();
        return summary.Errored == 0 ? summary.Documents : throw new InvalidOperationException(summary.Tasks[0].ErrorMessage);
    }

    private static long RunNode(string script, string warcioDirectory, string warc)
    {
        var start = new ProcessStartInfo("node", [script, warc]) { RedirectStandardOutput = true, WorkingDirectory = warcioDirectory };
        start.Environment["NODE_PATH"] = Path.Combine(warcioDirectory, "node_modules");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0
            ? long.Parse(output.Trim(), CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"node exited with {process.ExitCode}");
    }
}

using Amazon.S3.Model;
using LetsData.Benchmarks.CommonCrawl;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.S3;
using LetsData.Runtime.Writing;

namespace LetsData.Benchmarks.Connectors;

/// <summary>
/// Measurement 6 (<c>--only s3read</c>, only when named: it needs the emulators): one single-file task reading the
/// generated Common Crawl WARC (gzip) from S3 (s3rver) with TargetUriExtractor, the object inflated in parallel blocks
/// fetched with ranged GETs, next to the same task whose S3 stream is wrapped so that it cannot be split (one inflating
/// thread: how every S3 task read before). Both in this run, interleaved; the emulator shares the machine's cores.
/// </summary>
internal static class S3ReadBenchmark
{
    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[s3read] gzip WARC from S3: parallel blocks vs one inflating thread");
        using var emulators = BenchEmulators.Ensure(layout);
        var corpus = CommonCrawlSetup.EnsureCorpus(layout, arguments.CommonCrawlUrls);
        var path = corpus.PathOf(CommonCrawlCorpus.Warc);
        var bytes = new FileInfo(path).Length;
        using var s3 = S3Clients.Create(forcePathStyle: true);
        var bucket = $"bench-{Guid.NewGuid().ToString("N")[..8]}";
        s3.PutBucketAsync(bucket).GetAwaiter().GetResult();
        s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = CommonCrawlCorpus.Warc, FilePath = path }).GetAwaiter().GetResult();
        using var source = new S3FileSource(s3, bucket);

        var result = SideBySide.Measure(arguments.Reps,
            "one inflating thread (S3 stream not splittable)", () => RunTargetUris(new UnsplittableSource(source), corpus.Urls, bytes),
            "parallel blocks (ranged GETs)", () => RunTargetUris(source, corpus.Urls, bytes));

        Console.WriteLine($"6. S3 read — TargetUriExtractor over {CommonCrawlCorpus.Warc} ({bytes / Throughput.BytesPerMb:F1} MB gzip, {corpus.Urls:N0} "
            + "request records) from s3rver on this machine, real engine, discarding sinks, concurrency 1");
        Console.WriteLine($"  load        {MachineLoad.Describe()} after the runs");
        ReportWriter.Comparison(result, "parallel / one thread");
    }

    private static Throughput RunTargetUris(IFileSource source, long requests, long bytes)
    {
        var binding = new SingleFileReaderBinding("bench-target-uris", () => new TargetUriExtractor());
        var engine = new DataTaskEngine("bench", binding, source, DiscardingSinkFactory.Instance, DiscardingSinkFactory.Instance,
            new EngineOptions { Concurrency = 1 });
        DataTaskDefinition[] tasks = [new("0", 1, CommonCrawlCorpus.Warc, [new ManifestFileRef(null, CommonCrawlCorpus.Warc)])];
        RunSummary? summary = null;
        var throughput = SideBySide.Time(() =>
        {
            summary = engine.RunAsync(tasks).GetAwaiter().GetResult();
            return (summary.Documents, bytes);
        });

        if (summary!.Errored != 0 || summary.Documents != requests)
        {
            throw new InvalidOperationException($"TargetUriExtractor over S3 is wrong: {summary.Documents:N0} documents, "
                + $"{summary.Errored} errored task(s) ({summary.Tasks[0].ErrorMessage}); expected {requests:N0}");
        }

        return throughput;
    }

    /// <summary>The same S3 GET behind a stream that neither seeks nor reopens: the runtime cannot split it.</summary>
    private sealed class UnsplittableSource(IFileSource inner) : IFileSource
    {
        public async ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken) =>
            new ForwardOnly(await inner.OpenReadAsync(fileName, cancellationToken).ConfigureAwait(false));

        public string Describe(string fileName) => inner.Describe(fileName);
    }

    private sealed class ForwardOnly(Stream inner) : ReadOnlyForwardStream
    {
        public override int Read(Span<byte> buffer) => inner.Read(buffer);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

using Amazon.S3.Model;
using LetsData.Benchmarks.CommonCrawl;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.S3;

namespace LetsData.Benchmarks.Connectors;

/// <summary>
/// Measurement 6 (<c>--only s3read</c>, only when named: it needs the emulators): one single-file task reading the
/// generated Common Crawl WARC (gzip) from S3 (s3rver) with TargetUriExtractor, the object inflated in parallel blocks
/// fetched with ranged GETs, next to the same task whose S3 stream is wrapped so that it cannot be split (one inflating
/// thread: how every S3 task read before). Both in this run, interleaved. Twice: straight from the emulator (which
/// shares the machine's cores), and with every connection capped at <see cref="ConnectionMbPerSecond"/> MB/s, a model of
/// a remote S3 where one GET is bounded by its connection (<see cref="PerConnectionBandwidthCap"/>).
/// </summary>
internal static class S3ReadBenchmark
{
    /// <summary>A typical single-connection S3 GET (tens of MB/s up to ~100 MB/s, depending on instance and region).</summary>
    private const int ConnectionMbPerSecond = 80;

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
        using var cappedClient = S3Clients.Create(forcePathStyle: true,
            c => c.HttpClientFactory = new PerConnectionBandwidthCap((long)(ConnectionMbPerSecond * Throughput.BytesPerMb)));
        using var capped = new S3FileSource(cappedClient, bucket);

        var direct = Compare(arguments, source, corpus.Urls, bytes);
        var remote = Compare(arguments, capped, corpus.Urls, bytes);
        // The emulators may be the ones already running (AWS_ENDPOINT_URL_KINESIS set): leave them as found.
        s3.DeleteObjectAsync(bucket, CommonCrawlCorpus.Warc).GetAwaiter().GetResult();
        s3.DeleteBucketAsync(bucket).GetAwaiter().GetResult();

        Console.WriteLine($"6. S3 read — TargetUriExtractor over {CommonCrawlCorpus.Warc} ({bytes / Throughput.BytesPerMb:F1} MB gzip, {corpus.Urls:N0} "
            + "request records) from s3rver on this machine, real engine, discarding sinks, concurrency 1");
        Console.WriteLine($"  load        {MachineLoad.Describe()} after the runs");
        Console.WriteLine("  6a. straight from the emulator (it shares the cores with the worker)");
        ReportWriter.Comparison(direct, "parallel / one thread");
        Console.WriteLine($"  6b. every connection capped at {ConnectionMbPerSecond} MB/s (a model of remote S3, where one GET is bounded by its connection)");
        ReportWriter.Comparison(remote, "parallel / one thread");
    }

    private static SideBySideResult Compare(BenchArguments arguments, S3FileSource source, long requests, long bytes) =>
        SideBySide.Measure(arguments.Reps,
            "one inflating thread (S3 stream not splittable)", () => CommonCrawlBenchmark.RunTargetUris(new UnsplittableSource(source), CommonCrawlCorpus.Warc, requests, bytes),
            "parallel blocks (ranged GETs)", () => CommonCrawlBenchmark.RunTargetUris(source, CommonCrawlCorpus.Warc, requests, bytes));

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

using System.IO.Compression;
using LetsData.Benchmarks.CommonCrawl;
using LetsData.Runtime.Reading.Gzip;

namespace LetsData.Benchmarks.Gzip;

/// <summary>
/// Measurement 2b (part of <c>--only gzip</c>): the worker's own inflating stream (<see cref="GzipMemberStream"/>, which
/// tracks member starts for resume checkpoints) next to GZipStream, both decompressing the generated Common Crawl WARC
/// (one gzip member per record, the corpus of measurement 4) to nowhere, alternating in this one process. Both call the
/// same native zlib-ng of the runtime, so a gap is the price of the managed loop around it (buffer sizes, member resets).
/// </summary>
internal static class GzipMemberStreamBenchmark
{
    /// <summary>"Not slower than GZipStream by more than a few percent."</summary>
    private const double TargetRatio = 0.97;

    /// <summary>The read-ahead chunk the engine asks for when it decompresses ahead.</summary>
    private const int ReadBytes = 256 * 1024;

    public static void Run(BenchArguments arguments, RepositoryLayout layout)
    {
        Console.Error.WriteLine("[gzip] GzipMemberStream vs GZipStream on the Common Crawl WARC");
        var corpus = CommonCrawlSetup.EnsureCorpus(layout, arguments.CommonCrawlUrls);
        var path = corpus.PathOf(CommonCrawlCorpus.Warc);
        var members = CountMembers(path);
        var buffer = GC.AllocateUninitializedArray<byte>(ReadBytes);
        var result = SideBySide.Measure(arguments.Reps,
            "GZipStream", () => Decompress(path, members, corpus.WarcBytes, buffer, file => new GZipStream(file, CompressionMode.Decompress)),
            "GzipMemberStream (member map)", () => Decompress(path, members, corpus.WarcBytes, buffer, file => new GzipMemberStream(file)));

        Console.WriteLine("2b. GzipMemberStream vs GZipStream — the same multi-member gzip file decompressed to nowhere, one thread");
        Console.WriteLine($"  input       {Path.GetRelativePath(layout.Root, path)} ({corpus.Origin}): {new FileInfo(path).Length / Throughput.BytesPerMb:F1} MB gzip, "
            + $"{corpus.WarcBytes / Throughput.BytesPerMb:F1} MB decompressed, {members:N0} members (one per WARC record)");
        Console.WriteLine($"  reads       {ReadBytes / 1024} KiB reads from a FileStream (page cache); input buffers: GzipMemberStream "
            + $"{GzipMemberStream.DefaultInputBufferBytes / 1024} KiB, GZipStream its default; records/s below are members/s");
        Console.WriteLine($"  cores       {Environment.ProcessorCount} (Environment.ProcessorCount); load {MachineLoad.Describe()} after the runs");
        ReportWriter.Comparison(result, "GzipMemberStream / GZipStream");
        ReportWriter.Target($"≥ {TargetRatio:F2} of GZipStream throughput", result.Ratio >= TargetRatio, $"{result.Ratio:F3}");
        Console.WriteLine();
    }

    private static long CountMembers(string path)
    {
        using var stream = new GzipMemberStream(File.OpenRead(path));
        var buffer = new byte[ReadBytes];
        while (stream.Read(buffer) > 0)
        {
        }

        return stream.Members.MembersStarted;
    }

    private static Throughput Decompress(string path, long members, long expectedBytes, byte[] buffer, Func<Stream, Stream> open)
    {
        var throughput = SideBySide.Time(() =>
        {
            using var stream = open(File.OpenRead(path));
            long bytes = 0;
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                bytes += read;
            }

            return (members, bytes);
        });

        if (throughput.Bytes != expectedBytes)
        {
            throw new InvalidOperationException($"decompressing {path} gave {throughput.Bytes:N0} bytes; expected {expectedBytes:N0}");
        }

        return throughput;
    }
}

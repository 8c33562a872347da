using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using LetsData.MicroBenchmarks.Inputs;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.Gzip;

namespace LetsData.MicroBenchmarks.Inflating;

/// <summary>
/// The engine's inflaters next to .NET's GZipStream, all decompressing the same in-memory multi-member gzip (one member
/// per record, as WARC files are written) to nowhere, read as the scanner reads: into a buffer of its size.
/// <see cref="GzipMemberStream"/> and GZipStream call the same native zlib of the runtime, so a gap is the managed loop
/// around it (member resets, the member map); <see cref="ParallelGzipStream"/> inflates blocks on every core.
/// </summary>
[MemoryDiagnoser]
public class InflaterBenchmarks
{
    /// <summary>
    /// Compressed bytes per parallel block. The engine uses 4 MB blocks on files of 16 MB and more; the corpus here is a
    /// few MB compressed, so smaller blocks keep several in flight, at a higher per-block start-up share.
    /// </summary>
    public const int ParallelBlockBytes = 1024 * 1024;

    private byte[] _gzip = [];
    private byte[] _buffer = [];
    private long _expectedBytes;

    [Params(RecordShape.Small1K, RecordShape.Warc7K)]
    public RecordShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var corpus = WarcLikeCorpus.For(Shape);
        _gzip = corpus.GzipPerRecord();
        _expectedBytes = corpus.Plain.Length;
        _buffer = GC.AllocateUninitializedArray<byte>(RecordScanner.DefaultBufferBytes);
        // Goes to the run's log: the input a reader of the results needs to know.
        Console.WriteLine($"// corpus {Shape}: {corpus.RecordCount:N0} records, {_expectedBytes:N0} B, "
            + $"{_gzip.Length:N0} B as one gzip member per record ({(double)_expectedBytes / _gzip.Length:F2}:1)");
        // An inflater that stops early (GZipStream at a member boundary, say) would look fast: check each once first.
        Expect("GZipStream", GZipStreamInflate());
        Expect("GzipMemberStream", GzipMemberStreamInflate());
        Expect("ParallelGzipStream", ParallelGzipStreamInflate());
    }

    [Benchmark(Baseline = true, Description = "GZipStream")]
    public long GZipStreamInflate() =>
        Drain(new GZipStream(new ReadOnlyMemoryStream(_gzip), CompressionMode.Decompress));

    [Benchmark(Description = "GzipMemberStream")]
    public long GzipMemberStreamInflate() => Drain(new GzipMemberStream(new ReadOnlyMemoryStream(_gzip)));

    [Benchmark(Description = "ParallelGzipStream")]
    public long ParallelGzipStreamInflate()
    {
        var gzip = _gzip;
        return Drain(new ParallelGzipStream(
            (offset, _) => ValueTask.FromResult<Stream>(new ReadOnlyMemoryStream(gzip, checked((int)offset))),
            compressedOffset: 0, compressedLength: gzip.Length, blockBytes: ParallelBlockBytes));
    }

    private long Drain(Stream inflater)
    {
        using (inflater)
        {
            long bytes = 0;
            int read;
            while ((read = inflater.Read(_buffer)) > 0)
            {
                bytes += read;
            }

            return bytes;
        }
    }

    private void Expect(string what, long bytes)
    {
        if (bytes != _expectedBytes)
        {
            throw new InvalidOperationException($"{what} inflated {bytes:N0} bytes; the corpus holds {_expectedBytes:N0}");
        }
    }
}

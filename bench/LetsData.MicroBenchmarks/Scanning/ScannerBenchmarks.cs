using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using LetsData.Interfaces.Readers;
using LetsData.MicroBenchmarks.Inputs;
using LetsData.Runtime.Reading;

namespace LetsData.MicroBenchmarks.Scanning;

/// <summary>
/// The record scanner the single-file readers run (<see cref="RecordScanner"/>, with the Common Crawl reader's hints:
/// a response record's start, the next record's start as its end) next to the ceiling for the same bytes: a loop that
/// reads the same in-memory stream into a buffer of the same size and counts the start pattern with Span.IndexOf —
/// no record bookkeeping, no end search. The ratio is what finding records costs over finding delimiters.
/// </summary>
[MemoryDiagnoser]
public class ScannerBenchmarks
{
    private static readonly RecordParseHint StartHint = RecordParseHint.ForPattern(WarcLikeCorpus.StartPattern);
    private static readonly RecordParseHint EndHint = RecordParseHint.ForPattern(WarcLikeCorpus.EndPattern);
    private static readonly byte[] StartPatternUtf8 = Encoding.ASCII.GetBytes(WarcLikeCorpus.StartPattern);

    private byte[] _plain = [];

    [Params(RecordShape.Small1K, RecordShape.Warc7K)]
    public RecordShape Shape { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var corpus = WarcLikeCorpus.For(Shape);
        _plain = corpus.Plain;
        Console.WriteLine($"// corpus {Shape}: {corpus.RecordCount:N0} records, {_plain.Length:N0} B");
        // A benchmark that finds the wrong number of records measures nothing: check both once before timing.
        Expect("the Span.IndexOf loop", IndexOfLoop(), corpus.RecordCount);
        Expect("RecordScanner", ScanRecords(), corpus.RecordCount);
    }

    /// <summary>Counts start patterns in the stream, reading it into a buffer the size of the scanner's.</summary>
    [Benchmark(Baseline = true, Description = "Span.IndexOf loop")]
    public long IndexOfLoop()
    {
        var pattern = StartPatternUtf8.AsSpan();
        var buffer = ArrayPool<byte>.Shared.Rent(RecordScanner.DefaultBufferBytes);
        try
        {
            using var stream = new ReadOnlyMemoryStream(_plain);
            long matches = 0;
            var carried = 0; // the tail of the previous read that may start a match straddling two reads
            int read;
            while ((read = stream.Read(buffer, carried, buffer.Length - carried)) > 0)
            {
                var data = buffer.AsSpan(0, carried + read);
                var position = 0;
                int index;
                while ((index = data[position..].IndexOf(pattern)) >= 0)
                {
                    matches++;
                    position += index + pattern.Length;
                }

                carried = Math.Min(pattern.Length - 1, data.Length - position);
                data[^carried..].CopyTo(buffer);
            }

            return matches;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Cuts every record out of the same stream as the engine does, touching each record's length.</summary>
    [Benchmark(Description = "RecordScanner")]
    public long ScanRecords()
    {
        using var scanner = new RecordScanner(new ReadOnlyMemoryStream(_plain), "memory:micro-bench");
        long records = 0;
        long bytes = 0;
        while (scanner.TryReadRecord(StartHint, EndHint, out _, out var record))
        {
            records++;
            bytes += record.Length;
        }

        return bytes == _plain.Length ? records : -1;
    }

    private static void Expect(string what, long found, int expected)
    {
        if (found != expected)
        {
            throw new InvalidOperationException($"{what} found {found:N0} records; the corpus holds {expected:N0}");
        }
    }
}

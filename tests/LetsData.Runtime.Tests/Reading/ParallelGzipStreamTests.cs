using System.IO.Compression;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.Gzip;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Reading;

/// <summary>
/// <see cref="ParallelGzipStream"/>: byte-identical to <see cref="GzipMemberStream"/> with the same member starts, on
/// generated and real files cut into many small blocks, with false member headers inside compressed data, truncated
/// input, tiny reads and disposal while the workers run.
/// </summary>
public class ParallelGzipStreamTests
{
    private static readonly string[] RealFiles =
    [
        "whirlwind.warc.gz", "gzip/whirlwind.warc.wat.gz", "gzip/whirlwind.warc.wet.gz", "warcfile.warc.gz",
        "gzip/resiliparse-block-sized-records.warc.gz", "gzip/resiliparse-clueweb-quirk.warc.gz",
        "gzip/warcio-example.warc.gz", "gzip/warcio-example-resource.warc.gz",
        // The rest of the WARC torture files in gzip: odd records, an ARC file, and a clipped (truncated) file, whose
        // failure message and offsets must be the sequential stream's.
        "gzip/warcio-example-bad-non-chunked.warc.gz", "gzip/warcio-example-space-in-target-uri.warc.gz",
        "gzip/warcio-example-wget-bad-target-uri.warc.gz", "gzip/warcio-example-wrong-chunks.warc.gz", "gzip/warcio-example.arc.gz",
        "gzip/warcio-post-test.warc.gz", "clipped.warc.gz",
    ];

    private static byte[] Gzip(byte[] part, CompressionLevel level)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level, leaveOpen: true))
        {
            gzip.Write(part);
        }

        return output.ToArray();
    }

    private static ParallelGzipStream Open(byte[] compressed, int blockBytes, long offset = 0, long decompressedOffset = 0, int? workers = null) =>
        new((at, _) => ValueTask.FromResult<Stream>(new TrickleStream(compressed[(int)at..], 5000)), offset, compressed.Length,
            decompressedOffset, memberHistory: 1 << 20, blockBytes: blockBytes, workers: workers);

    private static (byte[] Output, GzipMemberStart[] Members, InvalidDataException? Failure) Sequential(byte[] compressed)
    {
        using var stream = new GzipMemberStream(new MemoryStream(compressed), memberHistory: 1 << 20);
        var output = TestData.ReadUntilFailure(stream, 64 * 1024, out var failure);
        return (output, stream.Members.Snapshot(), failure);
    }

    private static ParallelGzipStream AssertSameAsSequential(byte[] compressed, int blockBytes, int readBytes, int? workers = null)
    {
        var expected = Sequential(compressed);
        using var stream = Open(compressed, blockBytes, workers: workers);
        var output = TestData.ReadUntilFailure(stream, readBytes, out var failure);
        Assert.That(output, Is.EqualTo(expected.Output), $"blocks of {blockBytes}, reads of {readBytes}");
        Assert.That(failure?.Message, Is.EqualTo(expected.Failure?.Message));
        Assert.That(stream.Members.Snapshot(), Is.EqualTo(expected.Members));
        Assert.That(stream.DecompressedPosition, Is.EqualTo(output.Length));
        if (failure is null)
        {
            Assert.That(stream.CompressedBytesRead, Is.EqualTo(compressed.Length));
            if (compressed.Length >= 4 * blockBytes && expected.Members.Length >= 4)
            {
                Assert.That(stream.BlocksRead, Is.GreaterThan(1), "the file was split");
            }
        }

        return stream;
    }

    /// <summary>Members of random sizes: some larger than a block, tiny ones, empty ones.</summary>
    private static byte[] RandomMembers(int seed, int count)
    {
        var random = new Random(seed);
        var output = new MemoryStream();
        for (var i = 0; i < count; i++)
        {
            var size = random.Next(10) switch
            {
                0 => 0,
                1 => random.Next(4),
                2 => random.Next(100_000, 300_000),
                _ => random.Next(50, 20_000),
            };
            output.Write(Gzip(TestData.Letters(size, seed * 1000 + i), CompressionLevel.Optimal));
        }

        return output.ToArray();
    }

    [TestCase(1024, 65536)]
    [TestCase(4096, 1)]
    [TestCase(4096, 777)]
    [TestCase(20_000, 300_000)]
    public void RandomMembersDecodeAsTheSequentialStreamDoes(int blockBytes, int readBytes)
    {
        AssertSameAsSequential(RandomMembers(7, 60), blockBytes, readBytes);
    }

    /// <summary>
    /// Issue 16 (peak RSS flat in input size): chunks and windows are recycled, so the buffers a stream allocates are
    /// as many as were in flight at once, not one per block. Blocks of 4 KB over ~1.4 MB of members: each block is one
    /// chunk and one window, hundreds of blocks go by, and at most the blocks in flight (workers + 1), the reader's chunk
    /// and a discarded block or two still draining are ever out at once.
    /// </summary>
    [Test]
    public void BuffersAllocatedStayBoundedWhateverTheFileLength()
    {
        const int workers = 2;
        var compressed = new MemoryStream();
        for (var i = 0; i < 2_000; i++)
        {
            compressed.Write(Gzip(TestData.Letters(2_000, i), CompressionLevel.Optimal));
        }

        var bytes = compressed.ToArray();
        var buffers = new ParallelGzipBuffers(4096);
        using var stream = new ParallelGzipStream((at, _) => ValueTask.FromResult<Stream>(new MemoryStream(bytes, (int)at, bytes.Length - (int)at)),
            0, bytes.Length, blockBytes: 4096, workers: workers, buffers: buffers);
        var output = TestData.ReadUntilFailure(stream, 64 * 1024, out var failure);

        Assert.That(failure, Is.Null);
        Assert.That(output, Has.Length.EqualTo(2_000 * 2_000));
        Assert.That(stream.BlocksRead, Is.GreaterThan(100), "the file went by in many blocks");
        var inFlight = 2 * (workers + 1) + 2;
        Assert.That(buffers.Chunks.Allocated, Is.InRange(1, inFlight), "chunks allocated (one per block if they were not recycled)");
        Assert.That(buffers.Windows.Allocated, Is.InRange(1, inFlight), "windows allocated (one per block if they were not recycled)");
        stream.Dispose();
        SpinWait.SpinUntil(() => buffers.Chunks.Free == buffers.Chunks.Allocated && buffers.Windows.Free == buffers.Windows.Allocated, 10_000);
        Assert.That(buffers.Chunks.Free, Is.EqualTo(buffers.Chunks.Allocated), "every chunk came back");
        Assert.That(buffers.Windows.Free, Is.EqualTo(buffers.Windows.Allocated), "every window came back");
    }

    [Test]
    public void OneWorkerAndManyWorkersGiveTheSameBytes()
    {
        var compressed = RandomMembers(11, 40);
        AssertSameAsSequential(compressed, 2048, 4096, workers: 1);
        AssertSameAsSequential(compressed, 2048, 4096, workers: 8);
    }

    [TestCaseSource(nameof(RealFiles))]
    public void ARealFileDecodesAsTheSequentialStreamDoes(string name)
    {
        var compressed = TestData.Read(name);
        foreach (var blockBytes in new[] { 1024, 8192, 1 << 20 })
        {
            AssertSameAsSequential(compressed, blockBytes, 64 * 1024);
        }
    }

    /// <summary>
    /// Uncompressed (stored) members whose payload is itself complete gzip members and bare header bytes: every block
    /// boundary has false candidates nearby, some of which inflate cleanly to their end; none may reach the output.
    /// </summary>
    [TestCase(1024)]
    [TestCase(3000)]
    [TestCase(16_384)]
    public void FalseMemberHeadersInsideCompressedDataNeverReachTheOutput(int blockBytes)
    {
        var random = new Random(3);
        var output = new MemoryStream();
        for (var i = 0; i < 40; i++)
        {
            var payload = new MemoryStream();
            for (var j = 0; j < 1 + random.Next(12); j++)
            {
                payload.Write(random.Next(3) == 0
                    ? [0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff, 0x01, 0x02]
                    : Gzip(TestData.Letters(random.Next(0, 3000), i * 100 + j), CompressionLevel.Optimal));
            }

            output.Write(Gzip(payload.ToArray(), CompressionLevel.NoCompression));
        }

        var compressed = output.ToArray();
        var headers = TestData.IndexesOf(compressed, [0x1f, 0x8b, 0x08]).Count;
        Assert.That(headers, Is.GreaterThan(100), "the file holds many false candidates");
        var redone = AssertSameAsSequential(compressed, blockBytes, 10_000).BlocksRedone;
        Assert.That(redone, Is.GreaterThan(0), "some false candidate passed verification and was caught by the block chain");
        AssertSameAsSequential(compressed, blockBytes, 10_000, workers: 1);
    }

    [Test]
    public void ATruncatedFileFailsAfterEveryGoodByteNamingTheOffset()
    {
        var whole = RandomMembers(5, 30);
        var members = Sequential(whole).Members;
        // Cut in the middle of a member well past the first blocks.
        var cutMember = members[members.Length * 2 / 3];
        var next = members.First(m => m.CompressedOffset > cutMember.CompressedOffset);
        var compressed = whole[..(int)((cutMember.CompressedOffset + next.CompressedOffset) / 2)];

        var expected = Sequential(compressed);
        Assert.That(expected.Failure, Is.Not.Null);
        using var stream = Open(compressed, 2048);
        var output = TestData.ReadUntilFailure(stream, 3000, out var failure);
        Assert.That(output, Is.EqualTo(expected.Output));
        Assert.That(failure, Is.Not.Null);
        Assert.That(failure!.Message, Does.Contain("truncated").And.Contain($"member starting at compressed offset {cutMember.CompressedOffset}")
            .And.Contain($"compressed offset {compressed.Length}"));
        // The failure stays: reading again does not skip the damage.
        Assert.Throws<InvalidDataException>(() => stream.ReadExactly(new byte[1]));
    }

    [Test]
    public void TrailingZeroPaddingAcrossBlocksIsAccepted()
    {
        var compressed = RandomMembers(9, 10).Concat(new byte[10_000]).ToArray();
        AssertSameAsSequential(compressed, 1024, 4096);
    }

    [Test]
    public void AResumedStreamStartsAtAMemberStartWithAbsolutePositions()
    {
        var compressed = RandomMembers(13, 40);
        var expected = Sequential(compressed);
        var member = expected.Members[expected.Members.Length / 2];
        using var stream = Open(compressed, 4096, member.CompressedOffset, member.DecompressedOffset);
        var tail = TestData.ReadUntilFailure(stream, 8192, out var failure);
        Assert.That(failure, Is.Null);
        Assert.That(tail, Is.EqualTo(expected.Output[(int)member.DecompressedOffset..]));
        Assert.That(stream.Members.Snapshot(), Is.EqualTo(expected.Members.Where(m => m.CompressedOffset >= member.CompressedOffset)));
        Assert.That(stream.DecompressedPosition, Is.EqualTo(expected.Output.Length));
    }

    [Test]
    public async Task AsyncReadsGiveTheSameBytes()
    {
        var compressed = RandomMembers(17, 30);
        var expected = Sequential(compressed).Output;
        await using var stream = Open(compressed, 2048);
        var output = new MemoryStream();
        await stream.CopyToAsync(output, 1000);
        Assert.That(output.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void DisposingWhileWorkersRunIsSafe()
    {
        var compressed = RandomMembers(19, 80);
        for (var i = 0; i < 20; i++)
        {
            var stream = Open(compressed, 1024, workers: 4);
            var buffer = new byte[i * 1000 + 1];
            stream.ReadExactly(buffer);
            stream.Dispose();
            Assert.Throws<ObjectDisposedException>(() => stream.ReadExactly(buffer));
        }

        // Never read at all.
        Open(compressed, 1024).Dispose();
    }

    /// <summary>
    /// The opener picks the parallel stream for one large gzip file read inline, from a local file (blocks read with
    /// seeks) and from memory (the test harness: blocks read from the same memory), also for a resumed task with enough
    /// file left, and keeps the sequential one below the size threshold and for read-ahead placement. (S3 objects:
    /// the S3 read connector's tests.)
    /// </summary>
    [TestCase("local")]
    [TestCase("memory")]
    public async Task TheOpenerInflatesALargeFileInParallelWithTheSameMembers(string storage)
    {
        // Incompressible members (stored), so that the file passes the size threshold quickly.
        var random = new Random(23);
        var file = new MemoryStream();
        while (file.Length < ParallelGzipStream.MinimumCompressedBytes + (4 << 20))
        {
            var part = new byte[random.Next(1000, 200_000)];
            random.NextBytes(part);
            file.Write(Gzip(part, CompressionLevel.NoCompression));
        }

        var compressed = file.ToArray();
        var expected = Sequential(compressed);
        var small = compressed[..(int)expected.Members[5].CompressedOffset];
        var directory = Path.Combine(Path.GetTempPath(), $"pgzip-{Guid.NewGuid():N}");
        IFileSource source = storage == "local" ? new LocalFileSource(directory) : new InMemoryFileSource().Add("big.warc.gz", compressed).Add("small.warc.gz", small);
        if (storage == "local")
        {
            Directory.CreateDirectory(directory);
            await File.WriteAllBytesAsync(Path.Combine(directory, "big.warc.gz"), compressed);
            await File.WriteAllBytesAsync(Path.Combine(directory, "small.warc.gz"), small);
        }

        try
        {
            await using (var opened = await InputOpener.OpenAsync(source, "big.warc.gz", decompressAhead: false, CancellationToken.None))
            {
                Assert.That(opened.Decoded, Is.InstanceOf<ParallelGzipStream>());
                var output = new MemoryStream();
                await opened.Decoded.CopyToAsync(output);
                Assert.That(output.ToArray().AsSpan().SequenceEqual(expected.Output), Is.True);
                Assert.That(((ParallelGzipStream)opened.Decoded).BlocksRead, Is.GreaterThan(1), "the file was split");
                Assert.That(opened.GzipMembers!.Snapshot(), Is.EqualTo(expected.Members[^Math.Min(expected.Members.Length, GzipMemberMap.DefaultCapacity)..]));
                Assert.That(opened.RawBytesRead, Is.EqualTo(compressed.Length));
            }

            var member = expected.Members[3];
            var resumedStart = new InputStart(member.CompressedOffset, member.DecompressedOffset, Compressed: true);
            await using (var resumed = await InputOpener.OpenAsync(source, "big.warc.gz", decompressAhead: false, resumedStart, CancellationToken.None))
            {
                Assert.That(resumed.Decoded, Is.InstanceOf<ParallelGzipStream>());
                var output = new MemoryStream();
                await resumed.Decoded.CopyToAsync(output);
                Assert.That(output.ToArray().AsSpan().SequenceEqual(expected.Output.AsSpan((int)member.DecompressedOffset)), Is.True);
                Assert.That(resumed.GzipMembers!.TryGetMemberStartAtOrBefore(member.DecompressedOffset, out var first), Is.True);
                Assert.That(first, Is.EqualTo(member));
            }

            await using (var ahead = await InputOpener.OpenAsync(source, "big.warc.gz", decompressAhead: true, CancellationToken.None))
            {
                Assert.That(ahead.Decoded, Is.Not.InstanceOf<ParallelGzipStream>());
            }

            await using (var below = await InputOpener.OpenAsync(source, "small.warc.gz", decompressAhead: false, CancellationToken.None))
            {
                Assert.That(below.Decoded, Is.InstanceOf<GzipMemberStream>());
            }
        }
        finally
        {
            if (storage == "local")
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    /// <summary>
    /// The benchmark's generated Common Crawl WARC (199 MB gzip, 36,001 members; `--only commoncrawl` makes it) with
    /// the production block size: the same SHA-256 and the same member starts as the sequential stream. Explicit: it
    /// needs the corpus and takes seconds.
    /// </summary>
    [Test]
    [Explicit("needs artifacts/commoncrawl-corpus from the benchmark")]
    public void TheBenchmarkCorpusDecodesAsTheSequentialStreamDoes()
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "artifacts", "commoncrawl-corpus")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            Assert.Ignore("no artifacts/commoncrawl-corpus");
            return;
        }

        var path = Path.Combine(directory.FullName, "artifacts", "commoncrawl-corpus", "bench-12000", "corpus.warc.gz");
        var length = new FileInfo(path).Length;

        static (byte[] Hash, GzipMemberStart[] Members) Digest(Stream stream, Func<GzipMemberMap> members)
        {
            using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
            var buffer = new byte[256 * 1024];
            var all = new List<GzipMemberStart>();
            int n;
            while ((n = stream.Read(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                foreach (var member in members().Snapshot())
                {
                    if (all.Count == 0 || member.DecompressedOffset > all[^1].DecompressedOffset)
                    {
                        all.Add(member);
                    }
                }
            }

            return (sha.GetHashAndReset(), all.ToArray());
        }

        using var sequential = new GzipMemberStream(File.OpenRead(path));
        var expected = Digest(sequential, () => sequential.Members);
        using var parallel = new ParallelGzipStream((at, _) =>
        {
            var file = File.OpenRead(path);
            file.Seek(at, SeekOrigin.Begin);
            return ValueTask.FromResult<Stream>(file);
        }, 0, length);
        var actual = Digest(parallel, () => parallel.Members);
        Assert.That(actual.Hash, Is.EqualTo(expected.Hash));
        Assert.That(actual.Members, Is.EqualTo(expected.Members));
        Assert.That(parallel.BlocksRead, Is.GreaterThan(40));
        TestContext.Out.WriteLine($"blocks read {parallel.BlocksRead}, redone {parallel.BlocksRedone}, members {actual.Members.Length}");
    }
}

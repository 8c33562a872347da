using System.IO.Compression;
using LetsData.Runtime.Reading.Gzip;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Reading;

/// <summary>
/// <see cref="GzipMemberStream"/>: byte-identical to GZipStream on real Common Crawl and WARC torture files, member
/// starts that really restart decompression, and errors that name the compressed offset.
/// </summary>
public class GzipMemberStreamTests
{
    /// <summary>Every gzip test file: the whirlwind trio, warcio's and Resiliparse's torture files (clipped.warc.gz is cut).</summary>
    private static readonly string[] RealFiles =
    [
        "whirlwind.warc.gz", "gzip/whirlwind.warc.wat.gz", "gzip/whirlwind.warc.wet.gz",
        "warcfile.warc.gz", "clipped.warc.gz",
        "gzip/resiliparse-block-sized-records.warc.gz", "gzip/resiliparse-clueweb-quirk.warc.gz",
        "gzip/warcio-example.warc.gz", "gzip/warcio-example.arc.gz", "gzip/warcio-example-bad.warc.gz.bad",
        "gzip/warcio-example-bad-non-chunked.warc.gz", "gzip/warcio-example-resource.warc.gz",
        "gzip/warcio-example-space-in-target-uri.warc.gz", "gzip/warcio-example-wget-bad-target-uri.warc.gz",
        "gzip/warcio-example-wrong-chunks.warc.gz", "gzip/warcio-post-test.warc.gz",
    ];

    private static byte[] DecodeWithGZipStream(byte[] compressed, out InvalidDataException? failure)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        return TestData.ReadUntilFailure(gzip, 64 * 1024, out failure);
    }

    private static byte[] DecodeAll(byte[] compressed, out GzipMemberStart[] members)
    {
        using var stream = new GzipMemberStream(new MemoryStream(compressed), memberHistory: 1 << 20);
        var output = TestData.ReadUntilFailure(stream, 64 * 1024, out var failure);
        Assert.That(failure, Is.Null);
        Assert.That(stream.DecompressedPosition, Is.EqualTo(output.Length));
        Assert.That(stream.CompressedPosition, Is.EqualTo(compressed.Length));
        members = stream.Members.Snapshot();
        return output;
    }

    [TestCaseSource(nameof(RealFiles))]
    public void ARealFileDecodesToTheBytesOfGZipStream(string name)
    {
        var compressed = TestData.Read(name);
        var expected = DecodeWithGZipStream(compressed, out var expectedFailure);

        // Large reads as the read-ahead makes them, and 1-byte input trickles with odd output sizes (every boundary cut).
        foreach (var (inputChunk, readBytes) in new[] { (int.MaxValue, 256 * 1024), (1, 333), (7, 1) })
        {
            using var stream = new GzipMemberStream(new TrickleStream(compressed, inputChunk), inputBufferBytes: 4096);
            var actual = TestData.ReadUntilFailure(stream, readBytes, out var failure);

            Assert.That(actual, Is.EqualTo(expected), $"input chunks of {inputChunk}, reads of {readBytes}");
            Assert.That(failure is null, Is.EqualTo(expectedFailure is null), failure?.Message ?? expectedFailure?.Message);
            if (failure is not null)
            {
                // The one broken file: Resiliparse's clipped.warc.gz ends inside a member.
                var lastMember = stream.Members.Snapshot()[^1].CompressedOffset;
                Assert.That(failure.Message, Does.Contain("truncated")
                    .And.Contain($"member starting at compressed offset {lastMember}")
                    .And.Contain($"compressed offset {compressed.Length}"));
            }
        }
    }

    [Test]
    public void TheClippedFileIsTheOnlyBrokenOne()
    {
        Assert.That(RealFiles.Where(name => { DecodeWithGZipStream(TestData.Read(name), out var failure); return failure is not null; }),
            Is.EqualTo(new[] { "clipped.warc.gz" }));
    }

    [TestCaseSource(nameof(RealFiles))]
    public void EveryMemberStartOfARealFileRestartsDecompressionFromAFileStream(string name)
    {
        var path = TestData.PathOf(name);
        var compressed = TestData.Read(name);
        var whole = DecodeWithGZipStream(compressed, out _);
        using var first = new GzipMemberStream(File.OpenRead(path), memberHistory: 1 << 20);
        TestData.ReadUntilFailure(first, 64 * 1024, out _);
        var members = first.Members.Snapshot();
        Assert.That(members, Is.Not.Empty);
        Assert.That(members[0], Is.EqualTo(new GzipMemberStart(0, 0)));

        foreach (var member in members)
        {
            AssertRestartGivesTheTail(path, member, whole);
        }
    }

    private static void AssertRestartGivesTheTail(string path, GzipMemberStart member, byte[] whole)
    {
        var file = File.OpenRead(path);
        file.Seek(member.CompressedOffset, SeekOrigin.Begin);
        using var resumed = new GzipMemberStream(file, member.CompressedOffset, member.DecompressedOffset);
        var tail = TestData.ReadUntilFailure(resumed, 64 * 1024, out _);
        Assert.That(tail, Is.EqualTo(whole[(int)member.DecompressedOffset..]), $"restart at {member}");
        Assert.That(resumed.Members.Snapshot()[0], Is.EqualTo(member), "positions stay absolute after a restart");
        Assert.That(resumed.DecompressedPosition, Is.EqualTo(whole.Length));
    }

    [Test]
    public void AGeneratedMultiMemberFileReportsEveryMemberBoundary()
    {
        // Sizes around the 4 KiB input buffer and the read sizes, an empty member, and members smaller than a header.
        int[] sizes = [5000, 1, 0, 70_000, 4096, 3, 200_000, 12];
        var parts = sizes.Select((size, i) => TestData.Letters(size, i)).ToList();
        var members = parts.Select(p => TestData.GzipMembers([p])).ToList();
        var compressed = members.SelectMany(m => m).ToArray();
        var path = Path.Combine(Path.GetTempPath(), $"gzip-members-{Guid.NewGuid():N}.gz");
        File.WriteAllBytes(path, compressed);
        try
        {
            var whole = DecodeAll(compressed, out var reported);
            Assert.That(whole, Is.EqualTo(parts.SelectMany(p => p).ToArray()));
            Assert.That(whole, Is.EqualTo(DecodeWithGZipStream(compressed, out _)));

            // One start per member; the empty member starts where the next one does, and the earlier start is kept.
            var expected = new List<GzipMemberStart>();
            long compressedOffset = 0, decompressedOffset = 0;
            for (var i = 0; i < members.Count; i++)
            {
                if (expected.Count == 0 || expected[^1].DecompressedOffset != decompressedOffset)
                {
                    expected.Add(new GzipMemberStart(compressedOffset, decompressedOffset));
                }

                compressedOffset += members[i].Length;
                decompressedOffset += parts[i].Length;
            }

            Assert.That(reported, Is.EqualTo(expected));
            foreach (var member in reported)
            {
                AssertRestartGivesTheTail(path, member, whole);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ASingleMemberFileHasOneStart()
    {
        var part = TestData.Letters(300_000, 7);
        var whole = DecodeAll(TestData.GzipMembers([part]), out var members);
        Assert.That(whole, Is.EqualTo(part));
        Assert.That(members, Is.EqualTo(new[] { new GzipMemberStart(0, 0) }));
    }

    [Test]
    public void EmptyInputIsAnEmptyStreamWithoutMembers()
    {
        using var stream = new GzipMemberStream(new MemoryStream());
        Assert.That(stream.Read(new byte[100]), Is.Zero);
        Assert.That(stream.Members.Count, Is.Zero);
        Assert.That(stream.Members.TryGetMemberStartAtOrBefore(0, out _), Is.False);
        Assert.That(DecodeWithGZipStream([], out var failure), Is.Empty, "GZipStream agrees");
        Assert.That(failure, Is.Null);
    }

    [Test]
    public void ZeroPaddingAfterTheLastMemberIsIgnored()
    {
        var part = TestData.Letters(10_000, 3);
        var member = TestData.GzipMembers([part]);
        var padded = member.Concat(new byte[9000]).ToArray();

        using var stream = new GzipMemberStream(new TrickleStream(padded, 1000), inputBufferBytes: 4096);
        Assert.That(TestData.ReadUntilFailure(stream, 4096, out var failure), Is.EqualTo(part));
        Assert.That(failure, Is.Null);
        Assert.That(DecodeWithGZipStream(padded, out _), Is.EqualTo(part), "GZipStream ignores it too");
    }

    [TestCase("garbage")]
    [TestCase("\0\0\0garbage")]
    public void TrailingGarbageFailsNamingItsCompressedOffset(string trailer)
    {
        var part = TestData.Letters(10_000, 4);
        var member = TestData.GzipMembers([part]);
        var withGarbage = member.Concat(TestData.Utf8(trailer)).ToArray();
        var garbageAt = member.Length + trailer.TakeWhile(c => c == '\0').Count();

        using var stream = new GzipMemberStream(new MemoryStream(withGarbage));
        var decoded = TestData.ReadUntilFailure(stream, 4096, out var failure);

        // GZipStream stops silently at bytes that are not a gzip header: a damaged header mid-file would quietly
        // shorten the file. The member stream says so instead, after every byte of the good members.
        Assert.That(DecodeWithGZipStream(withGarbage, out _), Is.EqualTo(part));
        Assert.That(decoded, Is.EqualTo(part));
        Assert.That(failure?.Message, Does.Contain($"after the last gzip member at compressed offset {garbageAt}"));
    }

    [Test]
    public void ATruncatedMemberFailsNamingTheMemberAndWhereTheInputEnds()
    {
        var parts = new[] { TestData.Letters(20_000, 5), TestData.Letters(20_000, 6) };
        var first = TestData.GzipMembers([parts[0]]);
        var second = TestData.GzipMembers([parts[1]]);
        var cut = first.Concat(second.Take(second.Length / 2)).ToArray();

        using var stream = new GzipMemberStream(new MemoryStream(cut));
        var decoded = TestData.ReadUntilFailure(stream, 4096, out var failure);

        Assert.That(decoded, Is.EqualTo(DecodeWithGZipStream(cut, out var gzipFailure)));
        Assert.That(gzipFailure, Is.Not.Null, "GZipStream (strict validation) fails too");
        Assert.That(failure?.Message, Does.Contain("truncated")
            .And.Contain($"member starting at compressed offset {first.Length}")
            .And.Contain($"compressed offset {cut.Length}"));
    }

    [TestCase(1)]
    [TestCase(5)]
    public void AFileCutInsideAMemberHeaderIsTruncated(int headerBytes)
    {
        var first = TestData.GzipMembers([TestData.Letters(100, 1)]);
        var cut = first.Concat(TestData.GzipMembers([TestData.Letters(100, 2)]).Take(headerBytes)).ToArray();

        using var stream = new GzipMemberStream(new MemoryStream(cut));
        TestData.ReadUntilFailure(stream, 4096, out var failure);

        Assert.That(failure?.Message, Does.Contain("truncated").And.Contain($"member starting at compressed offset {first.Length}"));
    }

    [Test]
    public void CorruptDeflateDataFailsNamingTheMember()
    {
        var first = TestData.GzipMembers([TestData.Letters(5000, 1)]);
        var second = TestData.GzipMembers([TestData.Letters(5000, 2)]);
        second.AsSpan(12, 40).Fill(0xFF);
        var corrupt = first.Concat(second).ToArray();

        using var stream = new GzipMemberStream(new MemoryStream(corrupt));
        TestData.ReadUntilFailure(stream, 4096, out var failure);

        DecodeWithGZipStream(corrupt, out var gzipFailure);
        Assert.That(gzipFailure, Is.Not.Null, "GZipStream fails too");
        Assert.That(failure?.Message, Does.Contain("corrupt").And.Contain($"member starting at compressed offset {first.Length}"));
    }

    [Test]
    public void ACorruptTrailerChecksumFails()
    {
        var member = TestData.GzipMembers([TestData.Letters(5000, 1)]);
        member[^8] ^= 0x55;

        using var stream = new GzipMemberStream(new MemoryStream(member));
        TestData.ReadUntilFailure(stream, 4096, out var failure);

        Assert.That(failure?.Message, Does.Contain("corrupt").And.Contain("compressed offset 0"));
    }

    [Test]
    public void StartingWhereNoMemberStartsFailsNamingTheOffset()
    {
        var compressed = TestData.GzipMembers([TestData.Letters(5000, 1), TestData.Letters(5000, 2)]);
        using var stream = new GzipMemberStream(new MemoryStream(compressed[100..]), compressedOffset: 100, decompressedOffset: 42);

        TestData.ReadUntilFailure(stream, 4096, out var failure);

        Assert.That(failure?.Message, Does.Contain("no gzip member starts at compressed offset 100"));
    }

    [Test]
    public async Task AsyncReadsGiveTheSameBytesAndMembers()
    {
        var compressed = TestData.Read("warcfile.warc.gz");
        var expected = DecodeAll(compressed, out var members);

        await using var stream = new GzipMemberStream(new TrickleStream(compressed, 5000), memberHistory: 1 << 20, inputBufferBytes: 8192);
        var output = new MemoryStream();
        var buffer = new byte[10_000];
        int n;
        while ((n = await stream.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        Assert.That(output.ToArray(), Is.EqualTo(expected));
        Assert.That(stream.Members.Snapshot(), Is.EqualTo(members));
    }

    [Test]
    public void TheMemberMapAnswersAtOrBeforeAndForgets()
    {
        var map = new GzipMemberMap(capacity: 4);
        Assert.That(map.TryGetMemberStartAtOrBefore(0, out _), Is.False);
        for (var i = 1; i <= 6; i++)
        {
            map.Add(new GzipMemberStart(i * 10, i * 100));
        }

        // The ring keeps the last four: 300, 400, 500, 600.
        Assert.That(map.Count, Is.EqualTo(4));
        Assert.That(map.MembersStarted, Is.EqualTo(6));
        Assert.That(map.TryGetMemberStartAtOrBefore(299, out _), Is.False, "fell out of the ring");
        Assert.That(map.TryGetMemberStartAtOrBefore(300, out var start) ? start : default, Is.EqualTo(new GzipMemberStart(30, 300)));
        Assert.That(map.TryGetMemberStartAtOrBefore(450, out start) ? start : default, Is.EqualTo(new GzipMemberStart(40, 400)));
        Assert.That(map.TryGetMemberStartAtOrBefore(long.MaxValue, out start) ? start : default, Is.EqualTo(new GzipMemberStart(60, 600)));

        // Forgetting below 550 keeps 500, which still answers for 550.
        map.ForgetBefore(550);
        Assert.That(map.Snapshot(), Is.EqualTo(new[] { new GzipMemberStart(50, 500), new GzipMemberStart(60, 600) }));
        Assert.That(map.TryGetMemberStartAtOrBefore(550, out start) ? start : default, Is.EqualTo(new GzipMemberStart(50, 500)));
        map.ForgetBefore(10_000);
        Assert.That(map.Snapshot(), Is.EqualTo(new[] { new GzipMemberStart(60, 600) }), "the last start is kept");
    }

    [Test]
    public void TheMemberMapCanBeAskedWhileAnotherThreadInflates()
    {
        var parts = Enumerable.Range(0, 3000).Select(i => TestData.Letters(200 + (i % 50), i)).ToList();
        var compressed = TestData.GzipMembers(parts);
        var starts = new HashSet<long>();
        long offset = 0;
        foreach (var part in parts)
        {
            starts.Add(offset);
            offset += part.Length;
        }

        using var stream = new GzipMemberStream(new TrickleStream(compressed, 3000), memberHistory: 64);
        using var done = new ManualResetEventSlim();
        var inflating = Task.Run(() =>
        {
            TestData.ReadUntilFailure(stream, 1000, out _);
            done.Set();
        });

        // Asks until the inflating thread is done, and once more after (it may finish before the first question).
        var answers = 0;
        var finished = false;
        while (!finished)
        {
            finished = done.IsSet;
            var front = stream.DecompressedPosition;
            if (stream.Members.TryGetMemberStartAtOrBefore(front, out var start))
            {
                Assert.That(start.DecompressedOffset, Is.LessThanOrEqualTo(front));
                Assert.That(starts, Does.Contain(start.DecompressedOffset));
                answers++;
            }

            stream.Members.ForgetBefore(front - 5000);
        }

        inflating.Wait();
        Assert.That(answers, Is.Positive);
        Assert.That(stream.Members.Count, Is.LessThanOrEqualTo(64));
        Assert.That(stream.Members.MembersStarted, Is.EqualTo(3000));
    }
}

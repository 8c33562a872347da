using LetsData.Runtime.Reading.Gzip;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Reading;

/// <summary>
/// <see cref="GzipMemberStream"/> decoding members whole (<see cref="WholeMemberDecoder"/>, libdeflate) gives exactly
/// what streaming every member through zlib gives — bytes, member starts, positions and errors — whatever the sizes of
/// members, reads and input buffer, and really decodes the members that fit whole.
/// </summary>
public class WholeMemberDecodingTests
{
    [OneTimeSetUp]
    public void LibdeflateIsInstalled() =>
        Assume.That(WholeMemberDecoder.Available, "libdeflate.so.0 is not installed: every member is streamed through zlib");

    /// <summary>Sizes around every limit: tiny, WARC-like, above the direct-output minimum, above the staging buffer.</summary>
    private static byte[][] Parts() =>
    [
        TestData.Letters(3, 1), TestData.Letters(37, 2), TestData.Letters(7_000, 3), TestData.Letters(70_000, 4), TestData.Letters(GzipMemberStream.StagingBytes + 5_000, 5),
        Random(300_000, 6), TestData.Letters(9_000, 7), TestData.Letters(1, 8),
    ];

    /// <summary>Incompressible: its member is larger than the default input buffer.</summary>
    private static byte[] Random(int size, int seed)
    {
        var part = new byte[size];
        new Random(seed).NextBytes(part);
        return part;
    }

    [TestCase(1 << 20, GzipMemberStream.DefaultInputBufferBytes)]
    [TestCase(70_000, GzipMemberStream.DefaultInputBufferBytes)]
    [TestCase(4_096, GzipMemberStream.DefaultInputBufferBytes)]
    [TestCase(333, 8_192)]
    public void DecodesLikeZlibWithEveryMemberStartAndPosition(int readBytes, int inputBufferBytes)
    {
        var parts = Parts();
        var compressed = TestData.GzipMembers(parts);

        var (whole, wholeMembers, wholeStream) = Decode(compressed, readBytes, inputBufferBytes, wholeMembers: true);
        var (streamed, streamedMembers, _) = Decode(compressed, readBytes, inputBufferBytes, wholeMembers: false);

        Assert.That(whole, Is.EqualTo(parts.SelectMany(part => part).ToArray()));
        Assert.That(whole, Is.EqualTo(streamed));
        Assert.That(wholeMembers, Is.EqualTo(streamedMembers));
        Assert.That(wholeMembers, Has.Length.EqualTo(parts.Length));
        Assert.That(wholeStream.DecompressedPosition, Is.EqualTo(whole.Length));
        Assert.That(wholeStream.CompressedPosition, Is.EqualTo(compressed.Length));
        // The small members fit the buffers: decoded whole. The member larger than the staging buffer never is, nor the
        // incompressible one larger than the input buffer.
        Assert.That(wholeStream.DecodesWholeMembers, Is.True);
        Assert.That(wholeStream.MembersDecodedWhole, Is.InRange(4, parts.Length - 2));
    }

    [Test]
    public void AMemberSplitAcrossReadsOfTheSourceIsStillDecodedWhole()
    {
        // 40 members of ~7 KB compressed to ~4 KB each, read from the source 10,000 bytes at a time: most members
        // straddle a source read, so the buffer is refilled before they are decoded.
        var parts = Enumerable.Range(0, 40).Select(seed => TestData.Letters(7_000, seed)).ToArray();
        var compressed = TestData.GzipMembers(parts);

        using var stream = new GzipMemberStream(new TrickleStream(compressed, 10_000), memberHistory: 1 << 20);
        var decoded = TestData.ReadUntilFailure(stream, 1 << 20, out var failure);

        Assert.That(failure, Is.Null);
        Assert.That(decoded, Is.EqualTo(parts.SelectMany(part => part).ToArray()));
        Assert.That(stream.MembersDecodedWhole, Is.EqualTo(parts.Length));
    }

    [TestCase(1 << 20)]
    [TestCase(1_000)]
    public void ADamagedMemberFailsAfterEveryGoodByteWithZlibsMessage(int readBytes)
    {
        var parts = new[] { TestData.Letters(5_000, 1), TestData.Letters(5_000, 2), TestData.Letters(5_000, 3), TestData.Letters(5_000, 4) };
        var members = parts.Select(part => TestData.GzipMembers([part])).ToArray();
        var damagedAt = members[0].Length + members[1].Length;
        var compressed = members.SelectMany(member => member).ToArray();
        // Inside the third member's deflate data, after its 10-byte header.
        compressed[damagedAt + 40] ^= 0xff;
        compressed[damagedAt + 41] ^= 0xff;

        var whole = DecodeUntilFailure(compressed, readBytes, wholeMembers: true, out var wholeFailure);
        var streamed = DecodeUntilFailure(compressed, readBytes, wholeMembers: false, out var streamedFailure);

        Assert.That(wholeFailure, Is.Not.Null);
        Assert.That(wholeFailure!.Message, Is.EqualTo(streamedFailure?.Message));
        Assert.That(wholeFailure.Message, Does.Contain($"member starting at compressed offset {damagedAt}"));
        Assert.That(whole, Is.EqualTo(streamed));
        Assert.That(whole.Take(10_000), Is.EqualTo(parts[0].Concat(parts[1])));
    }

    [Test]
    public void ATruncatedLastMemberFailsAsTruncatedAfterTheMembersBeforeIt()
    {
        var parts = new[] { TestData.Letters(5_000, 1), TestData.Letters(5_000, 2) };
        var compressed = TestData.GzipMembers(parts);
        var cut = compressed[..^10];

        var decoded = DecodeUntilFailure(cut, 1 << 20, wholeMembers: true, out var failure);

        Assert.That(failure?.Message, Does.Contain("truncated").And.Contain($"compressed offset {cut.Length}"));
        Assert.That(decoded.Take(5_000), Is.EqualTo(parts[0]));
    }

    [Test]
    public void ABufferFilledReadByReadDecodesEveryMemberOnce()
    {
        // As the parallel stream fills its 1 MB chunks: the room shrinks read by read, and once per chunk it is above the
        // direct-output minimum but below a member's size. That member goes to the staging buffer, not decoded in vain.
        var parts = Enumerable.Range(0, 20).Select(seed => TestData.Letters(150_000, seed)).ToArray();
        using var stream = new GzipMemberStream(new MemoryStream(TestData.GzipMembers(parts)));
        var chunk = new byte[1 << 20];
        var decoded = new MemoryStream();
        int filled;
        do
        {
            filled = 0;
            int read;
            while (filled < chunk.Length && (read = stream.Read(chunk, filled, chunk.Length - filled)) > 0)
            {
                filled += read;
            }

            decoded.Write(chunk, 0, filled);
        }
        while (filled == chunk.Length);

        Assert.That(decoded.ToArray(), Is.EqualTo(parts.SelectMany(part => part).ToArray()));
        Assert.That(stream.MembersDecodedWhole, Is.EqualTo(parts.Length));
        Assert.That(stream.DirectDecodesTooSmall, Is.Zero);
    }

    private static (byte[] Output, GzipMemberStart[] Members, GzipMemberStream Stream) Decode(byte[] compressed, int readBytes,
        int inputBufferBytes, bool wholeMembers)
    {
        var stream = new GzipMemberStream(new MemoryStream(compressed), memberHistory: 1 << 20, inputBufferBytes: inputBufferBytes,
            wholeMembers: wholeMembers);
        var output = TestData.ReadUntilFailure(stream, readBytes, out var failure);
        Assert.That(failure, Is.Null);
        stream.Dispose();
        return (output, stream.Members.Snapshot(), stream);
    }

    private static byte[] DecodeUntilFailure(byte[] compressed, int readBytes, bool wholeMembers, out InvalidDataException? failure)
    {
        using var stream = new GzipMemberStream(new MemoryStream(compressed), wholeMembers: wholeMembers);
        return TestData.ReadUntilFailure(stream, readBytes, out failure);
    }
}

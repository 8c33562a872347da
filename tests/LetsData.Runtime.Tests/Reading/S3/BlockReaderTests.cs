using System.Collections.Concurrent;
using System.Reflection;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.S3;

namespace LetsData.Runtime.Tests.Reading.S3;

/// <summary>
/// The block readers a parallel inflate opens (<see cref="IReopenableAtOffset"/>): over S3, a sibling of the task's own
/// stream reads in consecutive bounded ranged GETs, each pinned to the first response's ETag, for as far as it is read;
/// over memory, the same bytes from the offset. (Against s3rver, with the engine: the S3 read connector's tests.)
/// </summary>
public class BlockReaderTests
{
    [Test]
    public async Task AnS3BlockReaderFetchesConsecutiveBoundedRangesPinnedToTheObjectsVersion()
    {
        var content = new byte[10_000];
        new Random(5).NextBytes(content);
        var s3 = RangeHonouringS3.Create(content, eTag: "\"v1\"");
        using var source = new S3FileSource(s3, "bucket");
        await using var whole = await source.OpenReadAsync("object", CancellationToken.None);

        await using var block = await ((IReopenableAtOffset)whole).OpenAtAsync(1_234, expectedBytes: 1_000, CancellationToken.None);
        var read = new MemoryStream();
        await block.CopyToAsync(read, bufferSize: 300);

        Assert.That(read.ToArray(), Is.EqualTo(content[1_234..]));
        var blockGets = RangeHonouringS3.Requests(s3).Skip(1).ToList();
        Assert.That(blockGets.Select(r => (r.ByteRange.Start, r.ByteRange.End)),
            Is.EqualTo(Enumerable.Range(0, 9).Select(i => (1_234L + (i * 1_000), Math.Min(9_999L, 1_234L + (i * 1_000) + 999)))));
        Assert.That(blockGets.Select(r => r.EtagToMatch), Has.All.EqualTo("\"v1\""));
    }

    [Test]
    public async Task AnS3BlockReaderThatStopsEarlyMakesNoFurtherRequest()
    {
        var content = new byte[10_000];
        var s3 = RangeHonouringS3.Create(content, eTag: "\"v1\"");
        using var source = new S3FileSource(s3, "bucket");
        await using var whole = await source.OpenReadAsync("object", CancellationToken.None);

        await using (var block = await ((IReopenableAtOffset)whole).OpenAtAsync(5_000, expectedBytes: 4_000, CancellationToken.None))
        {
            var buffer = new byte[3_000];
            await block.ReadExactlyAsync(buffer);
        }

        Assert.That(RangeHonouringS3.Requests(s3).Skip(1).Select(r => (r.ByteRange.Start, r.ByteRange.End)),
            Is.EqualTo(new[] { (5_000L, 8_999L) }));
    }

    [Test]
    public async Task AStoreThatIgnoresTheRangeFailsTheReadNamingTheObjectAndOffset()
    {
        var content = new byte[10_000];
        var s3 = RangeHonouringS3.Create(content, eTag: "\"v1\"", ignoresRanges: true);
        using var source = new S3FileSource(s3, "bucket");
        await using var whole = await source.OpenReadAsync("object", CancellationToken.None);
        await using var block = await ((IReopenableAtOffset)whole).OpenAtAsync(5_000, expectedBytes: 4_000, CancellationToken.None);

        Assert.That(async () => await block.ReadAsync(new byte[100]),
            Throws.TypeOf<S3ObjectException>().With.Message.Contains("s3://bucket/object").And.Message.Contains("range from byte 5000"));
    }

    [Test]
    public async Task AMemoryBlockReaderReadsTheSameBytesFromItsOffset()
    {
        var content = Enumerable.Range(0, 5_000).Select(i => (byte)i).ToArray();
        var memory = new InMemoryFileSource().Add("file", content);
        await using var whole = await memory.OpenReadAsync("file", CancellationToken.None);

        await using var block = await ((IReopenableAtOffset)whole).OpenAtAsync(4_321, expectedBytes: 100, CancellationToken.None);
        var read = new MemoryStream();
        await block.CopyToAsync(read);

        Assert.That(read.ToArray(), Is.EqualTo(content[4_321..]));
        Assert.That(whole.Length, Is.EqualTo(content.Length), "the file's length, which splitting needs, is known");
    }

    /// <summary>An <see cref="IAmazonS3"/> that answers GetObject from a byte array, honouring ranges, and records each request.</summary>
    private class RangeHonouringS3 : DispatchProxy
    {
        private byte[] _content = [];
        private bool _ignoresRanges;
        private string _eTag = "";
        private readonly ConcurrentQueue<GetObjectRequest> _requests = new();

        public static IAmazonS3 Create(byte[] content, string eTag, bool ignoresRanges = false)
        {
            var proxy = Create<IAmazonS3, RangeHonouringS3>();
            var fake = (RangeHonouringS3)(object)proxy;
            fake._content = content;
            fake._eTag = eTag;
            fake._ignoresRanges = ignoresRanges;
            return proxy;
        }

        public static IReadOnlyList<GetObjectRequest> Requests(IAmazonS3 s3) => ((RangeHonouringS3)(object)s3)._requests.ToList();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod?.Name == nameof(IAmazonS3.Dispose))
            {
                return null;
            }

            if (targetMethod?.Name != nameof(IAmazonS3.GetObjectAsync) || args?[0] is not GetObjectRequest request)
            {
                throw new NotSupportedException($"{targetMethod?.Name} is not part of this fake");
            }

            _requests.Enqueue(request);
            var (start, end) = request.ByteRange is { } range && !_ignoresRanges ? (range.Start, range.End < 0 ? _content.Length - 1 : range.End) : (0, _content.Length - 1);
            var length = (int)(end - start + 1);
            return Task.FromResult(new GetObjectResponse
            {
                ResponseStream = new MemoryStream(_content, (int)start, length, writable: false),
                ContentLength = length,
                ContentRange = request.ByteRange is null || _ignoresRanges ? null : $"bytes {start}-{end}/{_content.Length}",
                ETag = _eTag,
            });
        }
    }
}

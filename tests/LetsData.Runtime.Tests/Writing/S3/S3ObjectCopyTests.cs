using System.Collections.Concurrent;
using System.Net;
using System.Reflection;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Runtime.Tests.Writing.S3;

/// <summary>
/// The ranges and requests of <see cref="S3ObjectCopy"/> at S3's real sizes (no bytes are moved: a fake client
/// answers), which the s3rver tests can only reach with lowered limits.
/// </summary>
public class S3ObjectCopyTests
{
    private const long GiB = 1024L * 1024 * 1024;

    [Test]
    public async Task FiveGiB_IsOneCopyObject()
    {
        var s3 = FakeS3.Create();
        await new S3ObjectCopy(s3.Client, S3CopyOptions.Default).CopyAsync("b", "src", "dst", 5 * GiB, "\"e-3\"");

        var copy = s3.Requests<CopyObjectRequest>().Single();
        Assert.That((copy.SourceKey, copy.DestinationKey, copy.ETagToMatch), Is.EqualTo(("src", "dst", "\"e-3\"")));
        Assert.That(s3.Requests<CopyPartRequest>(), Is.Empty);
    }

    [Test]
    public async Task OneByteMore_IsCopiedIn512MiBRanges_CompletedInOrder()
    {
        var s3 = FakeS3.Create();
        await new S3ObjectCopy(s3.Client, S3CopyOptions.Default).CopyAsync("b", "src", "dst", 5 * GiB + 1, "\"e-3\"");

        Assert.That(s3.Requests<CopyObjectRequest>(), Is.Empty);
        var parts = s3.Requests<CopyPartRequest>().OrderBy(p => p.PartNumber).ToList();
        Assert.That(parts.Select(p => (p.PartNumber, p.FirstByte, p.LastByte)),
            Is.EqualTo(Enumerable.Range(0, 11).Select(i => ((int?)(i + 1), (long?)(i * GiB / 2), (long?)Math.Min(5 * GiB, (i + 1) * GiB / 2 - 1)))));
        Assert.That(parts.Select(p => (p.SourceKey, p.DestinationKey, p.UploadId, p.ETagToMatch.Single())).Distinct(),
            Is.EqualTo(new[] { ("src", "dst", "upload-1", "\"e-3\"") }));
        var complete = s3.Requests<CompleteMultipartUploadRequest>().Single();
        Assert.That(complete.PartETags.Select(p => (p.PartNumber, p.ETag)),
            Is.EqualTo(Enumerable.Range(1, 11).Select(n => ((int?)n, $"\"etag-{n}\""))));
    }

    [Test]
    public async Task S3sLargestObject_TakesAtMost10000Parts()
    {
        var s3 = FakeS3.Create();
        var size = 5 * 1024 * GiB;
        await new S3ObjectCopy(s3.Client, S3CopyOptions.Default).CopyAsync("b", "src", "dst", size, null);

        var parts = s3.Requests<CopyPartRequest>().OrderBy(p => p.PartNumber).ToList();
        Assert.That(parts, Has.Count.LessThanOrEqualTo(S3CopyOptions.MaxParts));
        Assert.That(parts[0].FirstByte, Is.Zero);
        Assert.That(parts[^1].LastByte, Is.EqualTo(size - 1));
        Assert.That(parts.Zip(parts.Skip(1)).All(p => p.First.LastByte + 1 == p.Second.FirstByte), "contiguous ranges");
    }

    [Test]
    public void AFailedCompletion_AbortsTheCopyUpload_AndNamesBothObjects()
    {
        var s3 = FakeS3.Create(failing: nameof(IAmazonS3.CompleteMultipartUploadAsync));

        var e = Assert.ThrowsAsync<IOException>(() =>
            new S3ObjectCopy(s3.Client, S3CopyOptions.Default).CopyAsync("b", "src", "dst", 6 * GiB, null))!;

        Assert.That(e.Message, Does.Contain("s3://b/src").And.Contain("s3://b/dst").And.Contain("copy upload upload-1")
            .And.Contain("CompleteMultipartUpload").And.Contain("SlowDown (503)"));
        Assert.That(s3.Requests<AbortMultipartUploadRequest>().Select(r => (r.Key, r.UploadId)), Is.EqualTo(new[] { ("dst", "upload-1") }));
    }

    [Test]
    public void LimitsOutsideS3s_AreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new S3CopyOptions { SingleCopyLimit = 5 * GiB + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new S3CopyOptions { PartSize = S3CopyOptions.MinPartSize - 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new S3CopyOptions { PartSize = 5 * GiB + 1 });
    }

    /// <summary>Answers the copy's requests (upload-1, "etag-N") and records them; <c>failing</c> names a request refused with 503 SlowDown.</summary>
    private class FakeS3 : DispatchProxy
    {
        private readonly ConcurrentQueue<object> _requests = new();
        private string? _failing;

        public IAmazonS3 Client => (IAmazonS3)(object)this;

        public static FakeS3 Create(string? failing = null)
        {
            var fake = (FakeS3)(object)Create<IAmazonS3, FakeS3>();
            fake._failing = failing;
            return fake;
        }

        public List<T> Requests<T>() => _requests.OfType<T>().ToList();

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            _requests.Enqueue(args![0]!);
            if (targetMethod!.Name == _failing)
            {
                var failure = new AmazonS3Exception("Please reduce your request rate.", ErrorType.Receiver, "SlowDown", "r-1", HttpStatusCode.ServiceUnavailable);
                return typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                    .MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [failure]);
            }

            return args[0] switch
            {
                CopyObjectRequest => Task.FromResult(new CopyObjectResponse()),
                InitiateMultipartUploadRequest => Task.FromResult(new InitiateMultipartUploadResponse { UploadId = "upload-1" }),
                CopyPartRequest part => Task.FromResult(new CopyPartResponse { ETag = $"\"etag-{part.PartNumber}\"" }),
                CompleteMultipartUploadRequest => Task.FromResult(new CompleteMultipartUploadResponse()),
                AbortMultipartUploadRequest => Task.FromResult(new AbortMultipartUploadResponse()),
                _ => throw new NotSupportedException($"{targetMethod.Name} is not part of this fake"),
            };
        }
    }
}

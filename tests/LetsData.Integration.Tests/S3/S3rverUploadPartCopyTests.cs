using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.S3;

/// <summary>
/// The UploadPartCopy that scripts/emulators/s3rver-local.js adds to s3rver 3.7.1: parts copied from byte ranges are
/// stored like uploaded ones (ListParts and CompleteMultipartUpload take them), with S3's ETags and errors.
/// </summary>
public class S3rverUploadPartCopyTests
{
    private const int FiveMiB = 5 * 1024 * 1024;

    private string _bucket = "";
    private AmazonS3Client _client = null!;
    private byte[] _source = [];

    [OneTimeSetUp]
    public async Task PutTheSource()
    {
        _bucket = $"letsdata-partcopy-{Guid.NewGuid().ToString("N")[..12]}";
        _client = new AmazonS3Client(new AmazonS3Config { ForcePathStyle = true });
        await _client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
        _source = new byte[FiveMiB + 300_000];
        new Random(3).NextBytes(_source);
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = "dir/source object", InputStream = new MemoryStream(_source) });
    }

    [OneTimeTearDown]
    public void DisposeTheClient() => _client.Dispose();

    [Test]
    public async Task RangesCopiedAsParts_AreListed_AndCompleteIntoTheirBytes()
    {
        var upload = await Initiate("ranges");
        var first = await CopyPart("ranges", upload, 1, 1000, 1000 + FiveMiB - 1);
        var second = await CopyPart("ranges", upload, 2, 100, 199);

        Assert.That(first.ETag, Is.EqualTo(QuotedMd5(_source.AsSpan(1000, FiveMiB))), "ETag = md5 of the range");
        Assert.That(second.ETag, Is.EqualTo(QuotedMd5(_source.AsSpan(100, 100))));
        var listed = (await _client.ListPartsAsync(new ListPartsRequest { BucketName = _bucket, Key = "ranges", UploadId = upload })).Parts;
        Assert.That(listed.Select(p => (p.PartNumber, p.ETag, p.Size)),
            Is.EqualTo(new[] { ((int?)1, first.ETag, (long?)FiveMiB), (2, second.ETag, 100) }));

        await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket, Key = "ranges", UploadId = upload,
            PartETags = [new PartETag(1, first.ETag), new PartETag(2, second.ETag)],
        });
        var expected = _source.AsSpan(1000, FiveMiB).ToArray().Concat(_source.AsSpan(100, 100).ToArray()).ToArray();
        Assert.That(await S3Objects.GetBytesAsync(_client, _bucket, "ranges"), Is.EqualTo(expected));
    }

    [Test]
    public async Task WithoutARange_ThePartIsTheWholeObject()
    {
        var upload = await Initiate("whole");
        var part = await _client.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = _bucket, SourceKey = "dir/source object", DestinationBucket = _bucket, DestinationKey = "whole",
            UploadId = upload, PartNumber = 1,
        });
        Assert.That(part.ETag, Is.EqualTo(QuotedMd5(_source)));
        await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = _bucket, Key = "whole", UploadId = upload, PartETags = [new PartETag(1, part.ETag)],
        });
        Assert.That(await S3Objects.GetBytesAsync(_client, _bucket, "whole"), Is.EqualTo(_source));
    }

    [Test]
    public async Task Errors_AreS3s()
    {
        var upload = await Initiate("errors");

        var range = Assert.ThrowsAsync<AmazonS3Exception>(() => CopyPart("errors", upload, 1, 0, _source.Length))!;
        Assert.That((range.ErrorCode, range.StatusCode), Is.EqualTo(("InvalidRange", HttpStatusCode.RequestedRangeNotSatisfiable)));

        var key = Assert.ThrowsAsync<AmazonS3Exception>(() => _client.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = _bucket, SourceKey = "no such object", DestinationBucket = _bucket, DestinationKey = "errors",
            UploadId = upload, PartNumber = 1, FirstByte = 0, LastByte = 9,
        }))!;
        Assert.That((key.ErrorCode, key.StatusCode), Is.EqualTo(("NoSuchKey", HttpStatusCode.NotFound)));

        var noUpload = Assert.ThrowsAsync<AmazonS3Exception>(() => CopyPart("errors", "no-such-upload", 1, 0, 9))!;
        Assert.That((noUpload.ErrorCode, noUpload.StatusCode), Is.EqualTo(("NoSuchUpload", HttpStatusCode.NotFound)));

        var changed = Assert.ThrowsAsync<AmazonS3Exception>(() => _client.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = _bucket, SourceKey = "dir/source object", DestinationBucket = _bucket, DestinationKey = "errors",
            UploadId = upload, PartNumber = 1, FirstByte = 0, LastByte = 9, ETagToMatch = ["\"0123456789abcdef0123456789abcdef\""],
        }))!;
        Assert.That((changed.ErrorCode, changed.StatusCode), Is.EqualTo(("PreconditionFailed", HttpStatusCode.PreconditionFailed)));

        var parts = (await _client.ListPartsAsync(new ListPartsRequest { BucketName = _bucket, Key = "errors", UploadId = upload })).Parts;
        Assert.That(parts ?? [], Is.Empty, "a refused copy stores no part");
    }

    private async Task<string> Initiate(string key) =>
        (await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key })).UploadId;

    private Task<CopyPartResponse> CopyPart(string key, string uploadId, int number, long first, long last) =>
        _client.CopyPartAsync(new CopyPartRequest
        {
            SourceBucket = _bucket, SourceKey = "dir/source object", DestinationBucket = _bucket, DestinationKey = key,
            UploadId = uploadId, PartNumber = number, FirstByte = first, LastByte = last,
        });

    private static string QuotedMd5(ReadOnlySpan<byte> bytes) => $"\"{Convert.ToHexStringLower(MD5.HashData(bytes))}\"";
}

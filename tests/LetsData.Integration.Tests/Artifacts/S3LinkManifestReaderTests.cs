using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Datasets;

namespace LetsData.Integration.Tests.Artifacts;

/// <summary>Reading <c>S3ReaderS3LinkManifestFile</c> objects from s3rver.</summary>
public class S3LinkManifestReaderTests
{
    private string _bucket = "";

    [OneTimeSetUp]
    public async Task CreateBucket()
    {
        _bucket = $"letsdata-mf-{Guid.NewGuid().ToString("N")[..12]}";
        using var client = NewClient();
        await client.PutBucketAsync(new PutBucketRequest { BucketName = _bucket });
    }

    [Test]
    public async Task ReadsTheTextWithoutAByteOrderMark()
    {
        var uri = await UploadAsync("m.txt", [0xEF, 0xBB, 0xBF, .. "a.warc.gz\nb.warc.gz\n"u8]);
        using var client = NewClient();
        var problems = new List<string>();

        var text = await S3LinkManifestReader.TryReadAsync(client, uri, problems);

        Assert.That(problems, Is.Empty);
        Assert.That(text, Is.EqualTo("a.warc.gz\nb.warc.gz\n"));
    }

    [Test]
    public async Task AMissingObjectNamesTheFieldAndTheUri()
    {
        using var client = NewClient();
        var problems = new List<string>();

        var text = await S3LinkManifestReader.TryReadAsync(client, new S3ObjectUri(_bucket, "missing.txt"), problems);

        Assert.That(text, Is.Null);
        Assert.That(problems, Is.EqualTo(new[] { $"manifestFile.manifestFileS3Uri: s3://{_bucket}/missing.txt: no such object" }));
    }

    [Test]
    public async Task AnObjectOverTheCapIsRefused()
    {
        var uri = await UploadAsync("big.txt", Encoding.UTF8.GetBytes(new string('x', 2000)));
        using var client = NewClient();
        var problems = new List<string>();

        var text = await S3LinkManifestReader.TryReadAsync(client, uri, problems, maxBytes: 1000);

        Assert.That(text, Is.Null);
        Assert.That(problems.Single(), Does.StartWith($"manifestFile.manifestFileS3Uri: {uri}: the manifest is 2,000 bytes, more than the limit of 1,000"));
    }

    [Test]
    public async Task BytesThatAreNotUtf8AreRefused()
    {
        var uri = await UploadAsync("latin1.txt", [(byte)'a', 0xE9, (byte)'\n']);
        using var client = NewClient();
        var problems = new List<string>();

        var text = await S3LinkManifestReader.TryReadAsync(client, uri, problems);

        Assert.That(text, Is.Null);
        Assert.That(problems.Single(), Does.StartWith($"manifestFile.manifestFileS3Uri: {uri}: the manifest is not UTF-8 text"));
    }

    private async Task<S3ObjectUri> UploadAsync(string key, byte[] content)
    {
        using var client = NewClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = new MemoryStream(content) });
        return new S3ObjectUri(_bucket, key);
    }

    private static AmazonS3Client NewClient() => new(new AmazonS3Config { ForcePathStyle = true });
}

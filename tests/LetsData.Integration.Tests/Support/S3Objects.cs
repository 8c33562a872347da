using System.IO.Compression;
using Amazon.S3;
using Amazon.S3.Model;

namespace LetsData.Integration.Tests.Support;

/// <summary>Reading back what the S3 write tests stored: listings (all pages), whole objects, gzip content.</summary>
internal static class S3Objects
{
    public static async Task<List<S3Object>> ListAsync(IAmazonS3 client, string bucket, string prefix)
    {
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = prefix };
        ListObjectsV2Response page;
        do
        {
            page = await client.ListObjectsV2Async(request);
            objects.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return objects;
    }

    /// <summary>The keys under <paramref name="prefix"/>, in ordinal order.</summary>
    public static async Task<List<string>> KeysAsync(IAmazonS3 client, string bucket, string prefix) =>
        (await ListAsync(client, bucket, prefix)).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();

    public static async Task<byte[]> GetBytesAsync(IAmazonS3 client, string bucket, string key)
    {
        using var response = await client.GetObjectAsync(bucket, key);
        using var copy = new MemoryStream();
        await response.ResponseStream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Decompresses all gzip members (.NET's GZipStream reads concatenated members as one stream).</summary>
    public static byte[] Gunzip(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        gzip.CopyTo(plain);
        return plain.ToArray();
    }
}

using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace LetsData.Runtime.Writing.S3;

/// <summary>How the S3 writer recognises and reports a failed S3 request.</summary>
internal static class S3Failure
{
    /// <summary>A request S3 refused (<see cref="AmazonS3Exception"/>), that the SDK could not make, or whose connection failed.</summary>
    public static bool IsRequestFailure(Exception e) =>
        e is AmazonS3Exception or AmazonClientException or IOException or HttpRequestException;

    /// <summary>
    /// Aborts a multipart upload, best effort: the failure that led here is the one reported, and a bucket lifecycle
    /// rule removes what is left. Not cancellable: an abandoned upload must still be aborted.
    /// </summary>
    public static async Task AbortQuietlyAsync(IAmazonS3 client, string bucket, string key, string uploadId)
    {
        try
        {
            await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId })
                .ConfigureAwait(false);
        }
        catch (Exception e) when (IsRequestFailure(e))
        {
        }
    }

    /// <summary>The S3 error code and HTTP status when S3 answered (e.g. "AccessDenied (403): Access Denied"), else the message.</summary>
    public static string Describe(Exception e) => e is AmazonServiceException { ErrorCode: var code, StatusCode: var status }
        ? $"{(string.IsNullOrEmpty(code) ? "no error code" : code)} ({((int)status).ToString(CultureInfo.InvariantCulture)}): {e.Message}"
        : $"{e.GetType().Name}: {e.Message}";
}

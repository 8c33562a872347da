using System.Globalization;
using Amazon.Runtime;
using Amazon.S3;

namespace LetsData.Runtime.Writing.S3;

/// <summary>How the S3 writer recognises and reports a failed S3 request.</summary>
internal static class S3Failure
{
    /// <summary>A request S3 refused (<see cref="AmazonS3Exception"/>), that the SDK could not make, or whose connection failed.</summary>
    public static bool IsRequestFailure(Exception e) =>
        e is AmazonS3Exception or AmazonClientException or IOException or HttpRequestException;

    /// <summary>The S3 error code and HTTP status when S3 answered (e.g. "AccessDenied (403): Access Denied"), else the message.</summary>
    public static string Describe(Exception e) => e is AmazonServiceException { ErrorCode: var code, StatusCode: var status }
        ? $"{(string.IsNullOrEmpty(code) ? "no error code" : code)} ({((int)status).ToString(CultureInfo.InvariantCulture)}): {e.Message}"
        : $"{e.GetType().Name}: {e.Message}";
}

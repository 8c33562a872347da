using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace LetsData.Runtime.Aws;

/// <summary>Says in a few words why a HEAD or GET of one object failed, for messages that name the object's URI.</summary>
public static class S3ObjectFailure
{
    /// <summary>The reason, or null when <paramref name="e"/> is not an S3 or network failure (a bug: let it surface).</summary>
    public static string? Describe(Exception e, S3ObjectUri uri) => e switch
    {
        // HEAD replies carry no body, so a missing object shows only as a 404 status without an error code.
        AmazonS3Exception { ErrorCode: "NoSuchBucket" } => $"the bucket {uri.BucketName} does not exist",
        AmazonS3Exception s3 when s3.StatusCode == HttpStatusCode.NotFound || s3.ErrorCode == "NoSuchKey" => "no such object",
        AmazonS3Exception s3 when s3.StatusCode == HttpStatusCode.Forbidden || s3.ErrorCode is "AccessDenied" or "InvalidAccessKeyId" or "SignatureDoesNotMatch" =>
            $"access denied ({s3.ErrorCode ?? "403"}: check the credentials and the bucket policy)",
        AmazonS3Exception s3 => $"S3 answered {(int)s3.StatusCode} {s3.ErrorCode}: {s3.Message}",
        AmazonServiceException service when service.InnerException is HttpRequestException or IOException =>
            $"S3 could not be reached: {service.InnerException.Message}",
        HttpRequestException or IOException => $"S3 could not be reached: {e.Message}",
        AmazonClientException client => $"the S3 client could not be set up: {client.Message} (set AWS_REGION or a region in the AWS profile; AWS_ENDPOINT_URL_S3 for an S3-compatible endpoint)",
        _ => null,
    };
}

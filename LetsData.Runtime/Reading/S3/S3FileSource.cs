using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Runtime.Aws;

namespace LetsData.Runtime.Reading.S3;

/// <summary>
/// The <c>S3</c> read connector: a manifest file name is the object key <c>prefix + fileName</c> in one bucket.
/// Objects are streamed (never buffered whole); a connection dropped mid-object is resumed with a ranged GET from the
/// last byte received (<see cref="S3ResumingStream"/>). Credentials, region and endpoint come from the standard AWS
/// chains (environment, profiles, <c>AWS_ENDPOINT_URL_S3</c> / <c>AWS_ENDPOINT_URL</c>).
/// </summary>
public sealed class S3FileSource : IFileSource, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;

    /// <summary>Reads <paramref name="bucketName"/> through <paramref name="client"/>; disposes the client only when it owns it.</summary>
    public S3FileSource(IAmazonS3 client, string bucketName, string prefix = "", S3ResumeOptions? resume = null, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucketName);
        _client = client;
        _ownsClient = ownsClient;
        BucketName = bucketName;
        Prefix = prefix;
        Resume = resume ?? new S3ResumeOptions();
    }

    public string BucketName { get; }
    public string Prefix { get; }
    public S3ResumeOptions Resume { get; }

    /// <summary>
    /// A source with its own client from the standard AWS configuration. <paramref name="configure"/> may adjust the
    /// client configuration further (tests use it to put a fault-injecting HTTP handler in); <paramref name="credentials"/>
    /// are what it signs with (null: the SDK's default chain).
    /// </summary>
    public static S3FileSource Create(string bucketName, string prefix = "", bool? forcePathStyle = null,
        S3ResumeOptions? resume = null, Action<AmazonS3Config>? configure = null, Amazon.Runtime.AWSCredentials? credentials = null)
    {
        return new S3FileSource(S3Clients.Create(forcePathStyle, configure, credentials), bucketName, prefix, resume, ownsClient: true);
    }

    public string KeyOf(string fileName) => Prefix + fileName;

    public string Describe(string fileName) => $"s3://{BucketName}/{KeyOf(fileName)}";

    public ValueTask<Stream> OpenReadAsync(string fileName, CancellationToken cancellationToken) =>
        OpenReadAsync(fileName, 0, cancellationToken);

    /// <summary>A ranged GET from <paramref name="offset"/> (a resumed task does not download what it already handled).</summary>
    public async ValueTask<Stream> OpenReadAsync(string fileName, long offset, CancellationToken cancellationToken)
    {
        var key = KeyOf(fileName);
        GetObjectResponse response;
        try
        {
            response = await GetAsync(key, offset, end: null, eTag: null, cancellationToken).ConfigureAwait(false);
        }
        catch (S3ObjectException e) when (offset > 0 && e.InnerException is AmazonS3Exception { StatusCode: HttpStatusCode.RequestedRangeNotSatisfiable })
        {
            // The checkpoint is at the end of the object: nothing is left to read.
            return Stream.Null;
        }

        return new S3ResumingStream(this, key, response, offset, cancellationToken);
    }

    /// <summary>
    /// GET of <paramref name="key"/> from <paramref name="offset"/> to <paramref name="end"/> (exclusive; null: to the end
    /// of the object) — a ranged GET unless that is the whole object — with S3 errors mapped to clear ones.
    /// </summary>
    internal async Task<GetObjectResponse> GetAsync(string key, long offset, long? end, string? eTag, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = BucketName, Key = key };
        if (end is { } last)
        {
            request.ByteRange = new ByteRange(offset, last - 1);
        }
        else if (offset > 0)
        {
            request.ByteRange = new ByteRange($"bytes={offset}-");
        }

        if (eTag is not null)
        {
            // The resumed bytes must belong to the same object version as the ones already read.
            request.EtagToMatch = eTag;
        }

        var range = request.ByteRange is null ? "" : $" (range from byte {offset}{(end is { } to ? $" to {to}" : "")})";
        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode is "NoSuchKey" or "NoSuchBucket")
        {
            var what = e.ErrorCode == "NoSuchBucket" ? $"the bucket {BucketName} does not exist" : "no such object";
            throw new FileNotFoundException($"input object not found: s3://{BucketName}/{key} ({what})", $"s3://{BucketName}/{key}", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
        {
            throw new S3ObjectException($"s3://{BucketName}/{key} changed while it was being read (ETag {eTag} no longer matches at offset {offset})", e);
        }
        catch (AmazonS3Exception e) when (!IsTransient(e))
        {
            throw new S3ObjectException($"s3://{BucketName}/{key}: GET{range} failed with {(int)e.StatusCode} {e.ErrorCode}: {e.Message}", e);
        }

        // A store (or proxy) that ignores Range answers with the whole object: its first bytes would be taken for the
        // ones at the offset, and a block of a parallel inflate has no header check to notice.
        if (request.ByteRange is not null && !(response.ContentRange?.StartsWith($"bytes {offset}-", StringComparison.Ordinal) ?? false))
        {
            response.Dispose();
            throw new S3ObjectException($"s3://{BucketName}/{key}: the GET{range} was not answered with that range " +
                $"(Content-Range '{response.ContentRange}', status {(int)response.HttpStatusCode})");
        }

        return response;
    }

    /// <summary>Failures a new request may get past: dropped connections, 5xx, throttling.</summary>
    internal static bool IsTransient(Exception e) => e switch
    {
        OperationCanceledException or FileNotFoundException or S3ObjectException => false,
        // The SDK reports its own attempt timeout as a TimeoutException: the connection went quiet, as a drop does.
        IOException or HttpRequestException or TimeoutException => true,
        AmazonS3Exception s3 => (int)s3.StatusCode >= 500 || s3.StatusCode == HttpStatusCode.TooManyRequests || s3.ErrorCode is "SlowDown" or "RequestTimeout",
        Amazon.Runtime.AmazonServiceException service => service.InnerException is IOException or HttpRequestException || (int)service.StatusCode >= 500,
        _ => e.InnerException is IOException or HttpRequestException,
    };

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}

/// <summary>An S3 failure a retry cannot fix (access denied, the object replaced mid-read, ...): fails the task at once.</summary>
public sealed class S3ObjectException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>How a dropped S3 connection is resumed.</summary>
public sealed record S3ResumeOptions
{
    /// <summary>Resume attempts in a row without a byte of progress before the read fails.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>Wait before the first resume attempt; doubled per further attempt (with jitter), up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one read of the body (or one reopening GET) may wait without getting a byte before the connection
    /// counts as dropped and is resumed. The AWS SDKs' socket timeouts are of this order (50-60 s).
    /// </summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);
}

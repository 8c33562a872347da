using LetsData.Runtime.Aws.Http;

namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>
/// How often and how long a failed Kinesis call is tried again (see <see cref="AwsRetryPolicy"/>), and which Kinesis
/// errors are worth it.
/// </summary>
public sealed record KinesisRetryPolicy : AwsRetryPolicy
{
    /// <summary>The policy used when none is given: 8 attempts, 100 ms doubling up to 5 s, at most 30 s of waiting.</summary>
    public static KinesisRetryPolicy Default { get; } = new();

    /// <summary>Whether this error code means the stream (or its key) asked the caller to slow down.</summary>
    public static bool IsThrottling(string errorCode) =>
        errorCode is "ProvisionedThroughputExceededException" or "LimitExceededException" or "ThrottlingException" or "KMSThrottlingException";

    /// <summary>Whether an error with this code and HTTP status is worth trying again.</summary>
    public static bool IsRetryable(string errorCode, int statusCode) =>
        statusCode >= 500 || IsThrottling(errorCode) || errorCode is "InternalFailure" or "ServiceUnavailable";
}

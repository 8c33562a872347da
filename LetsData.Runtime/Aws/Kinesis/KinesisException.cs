using LetsData.Runtime.Aws.Http;

namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>
/// A Kinesis call that failed: <see cref="AwsServiceException.ErrorCode"/> is the AWS error code (the part of
/// <c>__type</c> after '#', e.g. <c>ResourceNotFoundException</c>), or the .NET exception type name for a network failure.
/// </summary>
public sealed class KinesisException : AwsServiceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The AWS error code, or the name of the network failure.</param>
    /// <param name="statusCode">The HTTP status code; 0 when no response arrived.</param>
    /// <param name="message">The whole message (it should name the error code).</param>
    /// <param name="innerException">The network failure or the exception this one adds context to.</param>
    public KinesisException(string errorCode, int statusCode, string message, Exception? innerException = null)
        : base(errorCode, statusCode, message, innerException)
    {
    }
}

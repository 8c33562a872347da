namespace LetsData.Runtime.Aws.AwsJson;

/// <summary>
/// A call to an AWS JSON service that failed: <see cref="ErrorCode"/> is the AWS error code (the part of <c>__type</c>
/// after '#', e.g. <c>ResourceNotFoundException</c>), or the .NET exception type name for a network failure. Each
/// service's client throws its own subclass, so callers catch the service they called.
/// </summary>
public abstract class AwsServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The AWS error code, or the name of the network failure.</param>
    /// <param name="statusCode">The HTTP status code; 0 when no response arrived.</param>
    /// <param name="message">The whole message (it should name the error code).</param>
    /// <param name="innerException">The network failure or the exception this one adds context to.</param>
    protected AwsServiceException(string errorCode, int statusCode, string message, Exception? innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The AWS error code, e.g. <c>ProvisionedThroughputExceededException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code of the failed response; 0 when no response arrived (network failure).</summary>
    public int StatusCode { get; }
}

namespace LetsData.Runtime.Aws.Http;

/// <summary>
/// A call to an AWS service that failed: <see cref="ErrorCode"/> is the AWS error code (e.g.
/// <c>ResourceNotFoundException</c>), or the .NET exception type name for a network failure.
/// </summary>
public abstract class AwsServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The AWS error code, or the name of the network failure.</param>
    /// <param name="statusCode">The HTTP status code; 0 when no response arrived.</param>
    /// <param name="message">The whole message (it should name the error code).</param>
    /// <param name="innerException">The network failure or the exception this one adds context to.</param>
    protected AwsServiceException(string errorCode, int statusCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The AWS error code, e.g. <c>ThrottlingException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code of the failed response; 0 when no response arrived (network failure).</summary>
    public int StatusCode { get; }
}

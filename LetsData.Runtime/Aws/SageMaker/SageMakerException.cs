using LetsData.Runtime.Aws.Http;

namespace LetsData.Runtime.Aws.SageMaker;

/// <summary>An InvokeEndpoint call that failed (an AWS error, a network failure, or a response that is not vectors).</summary>
public sealed class SageMakerException : AwsServiceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The AWS error code (e.g. <c>ModelError</c>), or the name of the failure.</param>
    /// <param name="statusCode">The HTTP status code; 0 when no response arrived.</param>
    /// <param name="message">The whole message.</param>
    /// <param name="innerException">The failure this one adds context to.</param>
    public SageMakerException(string errorCode, int statusCode, string message, Exception? innerException = null)
        : base(errorCode, statusCode, message, innerException)
    {
    }
}

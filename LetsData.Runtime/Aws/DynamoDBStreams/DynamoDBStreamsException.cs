using LetsData.Runtime.Aws.Http;

namespace LetsData.Runtime.Aws.DynamoDBStreams;

/// <summary>A DynamoDB Streams call that failed (see <see cref="AwsServiceException"/> for the error code and status).</summary>
public sealed class DynamoDBStreamsException : AwsServiceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errorCode">The AWS error code, or the name of the network failure.</param>
    /// <param name="statusCode">The HTTP status code; 0 when no response arrived.</param>
    /// <param name="message">The whole message (it should name the error code).</param>
    /// <param name="innerException">The network failure or the exception this one adds context to.</param>
    public DynamoDBStreamsException(string errorCode, int statusCode, string message, Exception? innerException = null)
        : base(errorCode, statusCode, message, innerException)
    {
    }
}

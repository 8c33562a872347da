using Amazon.Runtime;

namespace LetsData.Runtime.Aws.Credentials;

/// <summary>
/// The dataset's role could not be assumed (STS refused, or could not be reached). An <see cref="AmazonClientException"/>
/// so that a connector meeting it mid-run fails its task like any other client-side AWS failure; the message starts
/// with <c>accessGrantRoleArn</c> and names the role.
/// </summary>
public sealed class AccessGrantException : AmazonClientException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, naming the field and the role.</param>
    /// <param name="innerException">The STS or network failure.</param>
    public AccessGrantException(string message, Exception innerException) : base(message, innerException)
    {
    }
}

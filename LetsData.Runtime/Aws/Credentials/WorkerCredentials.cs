using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace LetsData.Runtime.Aws.Credentials;

/// <summary>
/// The worker's own AWS credentials, resolved once from the SDK's standard chain and then removed from the process
/// environment, so that plugin code reading <c>AWS_SECRET_ACCESS_KEY</c> (or enumerating the environment) finds nothing.
/// </summary>
public static class WorkerCredentials
{
    /// <summary>The variables removed from the environment once the credentials are held in memory.</summary>
    public static readonly IReadOnlyList<string> ScrubbedVariables =
        ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"];

    /// <summary>
    /// Resolves the credentials (environment, profile, web identity, container, instance role: the SDK's order) and
    /// scrubs <see cref="ScrubbedVariables"/>. Environment credentials are copied into an in-memory
    /// <see cref="BasicAWSCredentials"/> / <see cref="SessionAWSCredentials"/>: the SDK's environment provider reads the
    /// variables again on every use, which would fail once they are gone. Other providers hold what they resolved
    /// themselves (refreshing ones, such as an instance role, fetch again from their source, not from the environment).
    /// </summary>
    /// <returns>The credentials and where they came from; <see cref="CapturedCredentials.Credentials"/> is null when the chain found none.</returns>
    public static CapturedCredentials CaptureAndScrub()
    {
        CapturedCredentials captured;
        try
        {
            var resolved = DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
            captured = resolved is EnvironmentVariablesAWSCredentials
                ? new CapturedCredentials(Freeze(resolved.GetCredentials()), "environment")
                : new CapturedCredentials(resolved, resolved.GetType().Name);
        }
        catch (AmazonClientException e)
        {
            // Datasets of local files need no credentials; an AWS connector will fail then with the SDK's own message.
            captured = new CapturedCredentials(null, $"none found ({e.Message})");
        }

        Scrub();
        return captured;
    }

    /// <summary>Removes <see cref="ScrubbedVariables"/> from this process's environment.</summary>
    public static void Scrub()
    {
        foreach (var name in ScrubbedVariables)
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    private static AWSCredentials Freeze(ImmutableCredentials credentials) =>
        string.IsNullOrEmpty(credentials.Token)
            ? new BasicAWSCredentials(credentials.AccessKey, credentials.SecretKey)
            : new SessionAWSCredentials(credentials.AccessKey, credentials.SecretKey, credentials.Token);
}

/// <summary>What <see cref="WorkerCredentials.CaptureAndScrub"/> found.</summary>
/// <param name="Credentials">The worker's credentials held in memory; null when the chain found none.</param>
/// <param name="Source">Where they came from, for the log (never the keys themselves).</param>
public sealed record CapturedCredentials(AWSCredentials? Credentials, string Source);

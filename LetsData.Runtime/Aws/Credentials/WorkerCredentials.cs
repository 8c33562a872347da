using Amazon.Runtime;

namespace LetsData.Runtime.Aws.Credentials;

/// <summary>
/// The worker's own AWS credentials, resolved once from the SDK's standard chain and then removed from the process
/// environment, so that plugin code reading <c>AWS_SECRET_ACCESS_KEY</c> (or enumerating the environment) finds nothing.
/// </summary>
internal static class WorkerCredentials
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
        if (Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") is { Length: > 0 } keyId
            && Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") is { Length: > 0 } secret)
        {
            // The only secrets this scrub protects are the environment's: copied straight, without walking the chain.
            var token = Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN") ?? Environment.GetEnvironmentVariable("AWS_SECURITY_TOKEN");
            captured = new CapturedCredentials(Freeze(new ImmutableCredentials(keyId, secret, token)), "environment");
        }
        else
        {
            // No environment keys: nothing to scrub, and resolving the rest of the chain now (profile files, container
            // or instance metadata) would cost every start-up — a dataset of local files needs none. Clients resolve
            // it on first use, from sources that are not the environment.
            captured = new CapturedCredentials(null, "the SDK's default chain, resolved when a client first needs it");
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
internal sealed record CapturedCredentials(AWSCredentials? Credentials, string Source);

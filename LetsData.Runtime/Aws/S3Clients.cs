using Amazon.Runtime;
using Amazon.S3;

namespace LetsData.Runtime.Aws;

/// <summary>
/// The one way the runtime makes S3 clients, for read and write connectors alike: credentials from
/// <see cref="Credentials.RuntimeCredentials"/> (the caller passes the dataset's), the standard region and endpoint
/// chains (<c>AWS_ENDPOINT_URL_S3</c> included), path-style requests from the dataset or else from
/// <see cref="ForcePathStyleVariable"/>.
/// </summary>
public static class S3Clients
{
    /// <summary>Environment variable that turns on path-style requests when the dataset does not say (emulators).</summary>
    public const string ForcePathStyleVariable = "LETSDATA_S3_FORCE_PATH_STYLE";

    /// <param name="forcePathStyle">The dataset's <c>forcePathStyle</c>; null falls back to the environment variable.</param>
    /// <param name="configure">Adjusts the client configuration further (tests put a fault-injecting HTTP handler in).</param>
    /// <param name="credentials">What to sign with (<see cref="Credentials.RuntimeCredentials.For"/>); null: the SDK's default chain.</param>
    public static AmazonS3Client Create(bool? forcePathStyle, Action<AmazonS3Config>? configure = null, AWSCredentials? credentials = null)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = forcePathStyle
                ?? (bool.TryParse(Environment.GetEnvironmentVariable(ForcePathStyleVariable), out var value) && value),
        };
        configure?.Invoke(config);
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    /// <summary>The dataset problem reported when a connector's client cannot be made (typically: no region configured).</summary>
    public static string SetupProblem(string field, AmazonClientException e) =>
        $"{field} (S3): the S3 client could not be set up: {e.Message} (set AWS_REGION or a region in the AWS profile; AWS_ENDPOINT_URL_S3 for an S3-compatible endpoint)";
}

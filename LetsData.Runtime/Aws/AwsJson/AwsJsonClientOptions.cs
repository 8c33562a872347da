using Amazon;
using Amazon.Runtime;
using LetsData.Runtime.Aws.Http;

namespace LetsData.Runtime.Aws.AwsJson;

/// <summary>
/// Overrides for our AWS JSON clients' <c>Create</c> (Kinesis, DynamoDB Streams); whatever is left null comes from the
/// standard AWS chains (credentials, region) and the service's endpoint variables (e.g. <c>AWS_ENDPOINT_URL_KINESIS</c>,
/// then <c>AWS_ENDPOINT_URL</c>).
/// </summary>
public sealed record AwsJsonClientOptions
{
    /// <summary>The credentials to sign with; null resolves them the SDK's default way (environment, profile, instance role).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>The region to sign for; null uses the SDK's region chain (<c>AWS_REGION</c>, profile, instance metadata).</summary>
    public RegionEndpoint? Region { get; init; }

    /// <summary>The service endpoint; null uses the endpoint variables, else the regional AWS endpoint.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The handler that sends the signed requests; null makes a <see cref="SocketsHttpHandler"/>.</summary>
    public HttpMessageHandler? InnerHandler { get; init; }

    /// <summary>Retries of failed calls; null uses 8 attempts, 100 ms doubling up to 5 s, 30 s in all.</summary>
    public AwsRetryPolicy? RetryPolicy { get; init; }

    /// <summary>How long one HTTP attempt may take before it counts as a network failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

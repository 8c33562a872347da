using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using LetsData.Runtime.Aws.Http;

namespace LetsData.Runtime.Aws.AwsJson;

/// <summary>What tells one AWS JSON service from another on the wire.</summary>
/// <param name="ServiceName">The name in messages, e.g. <c>DynamoDB Streams</c>.</param>
/// <param name="SigningName">The SigV4 service name (DynamoDB Streams signs as <c>dynamodb</c>).</param>
/// <param name="TargetPrefix">The X-Amz-Target prefix with its dot, e.g. <c>DynamoDBStreams_20120810.</c>.</param>
/// <param name="ContentType"><c>application/x-amz-json-1.0</c> or <c>-1.1</c>.</param>
/// <param name="EndpointVariable">The service's endpoint variable (after it, <c>AWS_ENDPOINT_URL</c>).</param>
/// <param name="HostPrefix">The regional host's prefix, e.g. <c>streams.dynamodb</c>.</param>
/// <param name="IsRetryable">Whether an error (code, HTTP status) is worth trying again.</param>
/// <param name="NewFailure">Makes the service's exception (code, status, message, cause).</param>
internal sealed record AwsJsonProtocol(string ServiceName, string SigningName, string TargetPrefix, string ContentType, string EndpointVariable,
    string HostPrefix, Func<string, int, bool> IsRetryable, Func<string, int, string, Exception?, AwsServiceException> NewFailure);

/// <summary>
/// The AWS JSON protocol (one POST per operation, named by <c>X-Amz-Target</c>) over <see cref="SignedHttpSender"/>,
/// for services without an AWSSDK package of their own (Kinesis, DynamoDB Streams). Safe to share between tasks.
/// </summary>
internal sealed class AwsJsonTransport : IDisposable
{
    private readonly SignedHttpSender _sender;
    private readonly AwsJsonProtocol _protocol;

    /// <param name="protocol">The service.</param>
    /// <param name="innerHandler">Sends the signed requests; disposed with the transport.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="region">The region to sign for.</param>
    /// <param name="endpoint">The service endpoint.</param>
    /// <param name="retryPolicy">Retries of failed calls; null: 8 attempts, 100 ms doubling up to 5 s, 30 s in all.</param>
    /// <param name="requestTimeout">How long one HTTP attempt may take; null means 30 seconds.</param>
    public AwsJsonTransport(AwsJsonProtocol protocol, HttpMessageHandler innerHandler, AWSCredentials credentials, RegionEndpoint region,
        Uri endpoint, AwsRetryPolicy? retryPolicy, TimeSpan? requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(innerHandler);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(endpoint);
        _protocol = protocol;
        Endpoint = endpoint;
        RetryPolicy = retryPolicy ?? new AwsRetryPolicy();
        _sender = new SignedHttpSender(innerHandler, credentials, region, protocol.SigningName, protocol.ServiceName,
            requestTimeout ?? TimeSpan.FromSeconds(30), protocol.IsRetryable, protocol.NewFailure);
    }

    public AwsRetryPolicy RetryPolicy { get; }

    public Uri Endpoint { get; }

    /// <summary>
    /// A transport from the standard AWS configuration: credentials by the SDK's default chain, region by its region
    /// chain (<c>AWS_REGION</c> …), endpoint by the protocol's variables; <paramref name="options"/> overrides any of them.
    /// </summary>
    /// <exception cref="InvalidOperationException">No region is configured, or an endpoint variable is not a URL.</exception>
    public static AwsJsonTransport Create(AwsJsonProtocol protocol, AwsJsonClientOptions? options)
    {
        options ??= new AwsJsonClientOptions();
        var region = options.Region ?? FallbackRegionFactory.GetRegionEndpoint()
            ?? throw new InvalidOperationException($"no AWS region is configured for {protocol.ServiceName} (set AWS_REGION or a region in the AWS profile)");
        var uri = options.Endpoint ?? Resolve(protocol, region);
        var credentials = options.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        return new AwsJsonTransport(protocol, options.InnerHandler ?? SignedHttpSender.DefaultHandler(), credentials, region, uri,
            options.RetryPolicy, options.RequestTimeout);
    }

    /// <summary>The endpoint the SDKs would use for the protocol's service in <paramref name="region"/>.</summary>
    public static Uri Resolve(AwsJsonProtocol protocol, RegionEndpoint region) =>
        ServiceEndpoint.Resolve(protocol.EndpointVariable, protocol.HostPrefix, protocol.ServiceName, region);

    /// <summary>A request body: one JSON object with the properties <paramref name="writeProperties"/> writes.</summary>
    public static PooledByteBuffer WriteBody(Action<Utf8JsonWriter> writeProperties)
    {
        var buffer = new PooledByteBuffer(1024);
        using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writeProperties(writer);
        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }

    /// <summary>A string property, or null when it is missing or not a string.</summary>
    public static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Sends one operation with retries; returns the successful response body (the caller disposes it).</summary>
    /// <exception cref="AwsServiceException">The service's exception: not retryable, or the retry budget is spent.</exception>
    public Task<PooledByteBuffer> SendAsync(string operation, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        _sender.PostAsync(operation, Endpoint, _protocol.ContentType,
            request => request.Headers.TryAddWithoutValidation("X-Amz-Target", _protocol.TargetPrefix + operation), body, RetryPolicy, cancellationToken);

    public void Dispose() => _sender.Dispose();
}

using System.Security.Cryptography;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;

namespace LetsData.Runtime.Aws.AwsJson;

/// <summary>Creates a service's own exception for a failed call: error code, HTTP status (0: none), message, cause.</summary>
internal delegate AwsServiceException AwsFailureFactory(string errorCode, int statusCode, string message, Exception? innerException);

/// <summary>What tells one AWS JSON service from another on the wire.</summary>
/// <param name="ServiceName">The name in messages, e.g. <c>Kinesis</c>.</param>
/// <param name="SigningName">The SigV4 service name, e.g. <c>kinesis</c> (DynamoDB Streams signs as <c>dynamodb</c>).</param>
/// <param name="TargetPrefix">The X-Amz-Target prefix with its dot, e.g. <c>Kinesis_20131202.</c>.</param>
/// <param name="ContentType"><c>application/x-amz-json-1.0</c> or <c>-1.1</c>.</param>
/// <param name="NewFailure">Makes the service's exception.</param>
internal sealed record AwsJsonProtocol(string ServiceName, string SigningName, string TargetPrefix, string ContentType, AwsFailureFactory NewFailure);

/// <summary>
/// The AWS JSON protocol over <see cref="HttpClient"/>, shared by our Kinesis and DynamoDB Streams clients (neither
/// has an AWSSDK package to use): each request signed with SigV4 by AWSSDK.Core's <see cref="SigV4SigningHandler"/>,
/// each attempt under its own timeout, failed calls retried per an <see cref="AwsRetryPolicy"/>. Safe to share
/// between tasks.
/// </summary>
internal sealed class AwsJsonTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly AwsJsonProtocol _protocol;
    private readonly TimeSpan _requestTimeout;

    /// <param name="protocol">The service.</param>
    /// <param name="innerHandler">Sends the signed requests; disposed with the transport.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="region">The region to sign for.</param>
    /// <param name="endpoint">The service endpoint.</param>
    /// <param name="retryPolicy">Retries of failed calls; null uses <see cref="AwsRetryPolicy.Default"/>.</param>
    /// <param name="requestTimeout">How long one HTTP attempt may take; null means 30 seconds.</param>
    public AwsJsonTransport(AwsJsonProtocol protocol, HttpMessageHandler innerHandler, AWSCredentials credentials, RegionEndpoint region,
        Uri endpoint, AwsRetryPolicy? retryPolicy, TimeSpan? requestTimeout)
    {
        ArgumentNullException.ThrowIfNull(innerHandler);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(region);
        ArgumentNullException.ThrowIfNull(endpoint);
        _protocol = protocol;
        Region = region;
        Endpoint = endpoint;
        RetryPolicy = retryPolicy ?? AwsRetryPolicy.Default;
        _requestTimeout = requestTimeout ?? TimeSpan.FromSeconds(30);

        // HttpClient's own timeout stops at the response headers; each attempt's token below covers the body too.
        _http = new HttpClient(new SigV4SigningHandler(credentials, region, protocol.SigningName, innerHandler), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public AwsRetryPolicy RetryPolicy { get; }

    public RegionEndpoint Region { get; }

    public Uri Endpoint { get; }

    /// <summary>
    /// A transport from the standard AWS configuration: credentials by the SDK's default chain, region by its region
    /// chain (<c>AWS_REGION</c> …), endpoint by <paramref name="endpoint"/>'s variables; <paramref name="options"/>
    /// overrides any of them.
    /// </summary>
    /// <exception cref="InvalidOperationException">No region is configured, or an endpoint variable is not a URL.</exception>
    public static AwsJsonTransport Create(AwsJsonProtocol protocol, AwsServiceEndpoint endpoint, AwsJsonClientOptions? options)
    {
        options ??= new AwsJsonClientOptions();
        var region = options.Region ?? FallbackRegionFactory.GetRegionEndpoint()
            ?? throw new InvalidOperationException($"no AWS region is configured for {protocol.ServiceName} (set AWS_REGION or a region in the AWS profile)");
        var uri = options.Endpoint ?? endpoint.Resolve(region);
        var credentials = options.Credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null);
        return new AwsJsonTransport(protocol, options.InnerHandler ?? DefaultHandler(), credentials, region, uri, options.RetryPolicy, options.RequestTimeout);
    }

    /// <summary>The transport the SDKs would send with: connections rotated so that DNS changes are followed.</summary>
    public static HttpMessageHandler DefaultHandler() => new SocketsHttpHandler
    {
        // Long-lived connections would pin a client to one front-end host; rotating them follows DNS changes.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    };

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

    public static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Sends one operation with retries; returns the successful response body (the caller disposes it).</summary>
    public async Task<PooledByteBuffer> SendAsync(string operation, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        // The payload hash is given to the signer so it signs without reading (and copying) the body on every attempt.
        var payloadHash = Convert.ToHexStringLower(SHA256.HashData(body.Span));
        var attempts = 0;
        var waited = TimeSpan.Zero;
        while (true)
        {
            attempts++;
            AwsServiceException failure;
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(_requestTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ReadOnlyMemoryContent(body) };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", _protocol.ContentType);
                request.Headers.TryAddWithoutValidation("X-Amz-Target", _protocol.TargetPrefix + operation);
                request.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", payloadHash);
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token).ConfigureAwait(false);
                var content = new PooledByteBuffer((int)Math.Clamp(response.Content.Headers.ContentLength ?? 4096, 256, 16 * 1024 * 1024) + 1);
                try
                {
                    var stream = await response.Content.ReadAsStreamAsync(attempt.Token).ConfigureAwait(false);
                    await using (stream.ConfigureAwait(false))
                    {
                        await content.ReadFromAsync(stream, attempt.Token).ConfigureAwait(false);
                    }
                }
                catch
                {
                    content.Dispose();
                    throw;
                }

                if (response.IsSuccessStatusCode)
                {
                    return content;
                }

                using (content)
                {
                    failure = ParseError(operation, response, content.WrittenSpan);
                }
            }
            catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
            {
                var name = e is OperationCanceledException ? "RequestTimeout" : e.GetType().Name;
                failure = _protocol.NewFailure(name, 0, $"{_protocol.ServiceName} {operation}: {name}: {e.Message}", e);
            }

            var retryable = failure.StatusCode == 0 || AwsRetryPolicy.IsRetryable(failure.ErrorCode, failure.StatusCode);
            if (!retryable)
            {
                throw failure;
            }

            var delay = RetryPolicy.NextDelay(attempts, attempts, waited);
            if (delay is not { } pause)
            {
                throw _protocol.NewFailure(failure.ErrorCode, failure.StatusCode,
                    $"{_protocol.ServiceName} {operation} failed after {attempts} attempts ({waited.TotalSeconds:0.#} s of backoff), last error {failure.ErrorCode}: {failure.Message}",
                    failure);
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            waited += pause;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>The service's exception for an error response: the code from <c>__type</c> (or the x-amzn-ErrorType header) and the message.</summary>
    internal AwsServiceException ParseError(string operation, HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        var status = (int)response.StatusCode;
        string? type = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isType = reader.ValueTextEquals("__type");
                    var isMessage = reader.ValueTextEquals("message") || reader.ValueTextEquals("Message");
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && (isType || isMessage))
                    {
                        if (isType)
                        {
                            type = reader.GetString();
                        }
                        else
                        {
                            message = reader.GetString();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's or load balancer's page): the status and the error-type header still say enough.
        }

        if (type is null && response.Headers.TryGetValues("x-amzn-ErrorType", out var headerTypes))
        {
            type = headerTypes.FirstOrDefault()?.Split(':')[0];
        }

        // "__type" may be fully qualified ("com.amazonaws.kinesis.v20131202#ResourceNotFoundException").
        var code = type is null ? $"HTTP{status}" : type[(type.LastIndexOf('#') + 1)..];
        return _protocol.NewFailure(code, status, $"{_protocol.ServiceName} {operation} failed: {code} (HTTP {status}): {message ?? "no message"}", null);
    }

    private static bool IsNetworkFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested); // the attempt's timeout
}

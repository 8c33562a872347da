using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using LetsData.Runtime.Aws.Http;

namespace LetsData.Runtime.Aws.SageMaker;

/// <summary>
/// The one SageMaker Runtime call the runtime makes, InvokeEndpoint: a SigV4-signed POST (signing name
/// <c>sagemaker</c>) of a JSON body to <c>/endpoints/{EndpointName}/invocations</c>, over <see cref="SignedHttpSender"/>
/// (AWSSDK.SageMakerRuntime is not used). Throttling and server errors are retried; safe to share between tasks.
/// </summary>
public sealed class SageMakerRuntimeClient : IDisposable
{
    /// <summary>The SDKs' endpoint variable of SageMaker Runtime (a local model server in tests).</summary>
    public const string EndpointVariable = "AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME";

    private readonly SignedHttpSender _sender;
    private readonly AwsRetryPolicy _retryPolicy;

    /// <summary>Creates a client over <paramref name="innerHandler"/> (the transport, or a fake in tests).</summary>
    /// <param name="innerHandler">Sends the signed requests; disposed with the client.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="region">The region to sign for.</param>
    /// <param name="endpoint">The service endpoint, e.g. <c>https://runtime.sagemaker.us-east-1.amazonaws.com/</c>.</param>
    /// <param name="retryPolicy">Retries of failed calls; null: 8 attempts within 30 s.</param>
    /// <param name="requestTimeout">How long one attempt may take; null means 60 seconds (a model can be slow).</param>
    public SageMakerRuntimeClient(HttpMessageHandler innerHandler, AWSCredentials credentials, RegionEndpoint region, Uri endpoint,
        AwsRetryPolicy? retryPolicy = null, TimeSpan? requestTimeout = null)
    {
        Endpoint = endpoint;
        _retryPolicy = retryPolicy ?? new AwsRetryPolicy();
        _sender = new SignedHttpSender(innerHandler, credentials, region, "sagemaker", "SageMaker", requestTimeout ?? TimeSpan.FromSeconds(60),
            IsRetryable, (code, status, message, inner) => new SageMakerException(code, status, message, inner));
    }

    /// <summary>Where requests go.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// A client from the standard AWS configuration: region by the SDK's chain (<c>AWS_REGION</c> …), endpoint from
    /// <c>AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME</c>, else <c>AWS_ENDPOINT_URL</c>, else the regional endpoint; credentials
    /// given, else the SDK's default chain.
    /// </summary>
    /// <exception cref="InvalidOperationException">No region is configured, or an endpoint variable is not a URL.</exception>
    public static SageMakerRuntimeClient Create(AWSCredentials? credentials, HttpMessageHandler? innerHandler = null)
    {
        var region = FallbackRegionFactory.GetRegionEndpoint()
            ?? throw new InvalidOperationException("no AWS region is configured for SageMaker (set AWS_REGION or a region in the AWS profile)");
        var endpoint = ServiceEndpoint.Resolve(EndpointVariable, "runtime.sagemaker", "SageMaker Runtime", region);
        return new SageMakerRuntimeClient(innerHandler ?? SignedHttpSender.DefaultHandler(),
            credentials ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null), region, endpoint);
    }

    /// <summary>The vectors of <paramref name="texts"/>, one per text in order (<see cref="EmbeddingJson"/>'s shape).</summary>
    /// <exception cref="SageMakerException">The call failed past its retries, or the response is not one vector per text.</exception>
    public async Task<double[][]> EmbedAsync(string endpointName, IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        using var body = new PooledByteBuffer(4096);
        EmbeddingJson.WriteRequest(body, texts);
        var uri = new Uri(Endpoint, $"endpoints/{Uri.EscapeDataString(endpointName)}/invocations");
        using var response = await _sender.PostAsync("InvokeEndpoint", uri, EmbeddingJson.ContentType,
            request => request.Headers.TryAddWithoutValidation("Accept", EmbeddingJson.ContentType), body.WrittenMemory, _retryPolicy,
            cancellationToken).ConfigureAwait(false);
        double[][] vectors;
        try
        {
            vectors = EmbeddingJson.ReadResponse(response.WrittenSpan);
        }
        catch (FormatException e)
        {
            throw new SageMakerException("InvalidResponse", 200, $"SageMaker InvokeEndpoint on {endpointName}: {e.Message}", e);
        }

        return vectors.Length == texts.Count ? vectors
            : throw new SageMakerException("InvalidResponse", 200,
                $"SageMaker InvokeEndpoint on {endpointName}: {vectors.Length} vector(s) for {texts.Count} input(s)");
    }

    /// <summary>Disposes the HTTP client.</summary>
    public void Dispose() => _sender.Dispose();

    // A model's own error (ModelError, 424) or a validation error is not worth repeating; throttling and 5xx are.
    private static bool IsRetryable(string errorCode, int statusCode) =>
        statusCode >= 500 || statusCode == 429 || errorCode is "ThrottlingException" or "ServiceUnavailable" or "InternalFailure";
}

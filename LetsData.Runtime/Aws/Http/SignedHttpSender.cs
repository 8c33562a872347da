using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace LetsData.Runtime.Aws.Http;

/// <summary>
/// Sends one service's requests: each signed with SigV4 by AWSSDK.Core's <see cref="SigV4SigningHandler"/>, each
/// attempt under its own timeout (body included), failed attempts retried per an <see cref="AwsRetryPolicy"/> when
/// the service says the error is worth it. The clients of services without an AWSSDK package (Kinesis, SageMaker
/// Runtime) are this plus their operations. Safe to share between tasks.
/// </summary>
internal sealed class SignedHttpSender : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _serviceLabel;
    private readonly TimeSpan _requestTimeout;
    private readonly Func<string, int, bool> _isRetryable;
    private readonly Func<string, int, string, Exception?, AwsServiceException> _newException;

    /// <summary>Creates a sender.</summary>
    /// <param name="innerHandler">Sends the signed requests; disposed with the sender.</param>
    /// <param name="credentials">The credentials to sign with.</param>
    /// <param name="region">The region to sign for.</param>
    /// <param name="signingName">The service's signing name (<c>kinesis</c>, <c>sagemaker</c>).</param>
    /// <param name="serviceLabel">The service's name in messages (<c>Kinesis</c>).</param>
    /// <param name="requestTimeout">How long one attempt may take, body included.</param>
    /// <param name="isRetryable">Whether an error (code, HTTP status) is worth trying again.</param>
    /// <param name="newException">The service's exception (code, status, message, inner).</param>
    public SignedHttpSender(HttpMessageHandler innerHandler, AWSCredentials credentials, RegionEndpoint region, string signingName,
        string serviceLabel, TimeSpan requestTimeout, Func<string, int, bool> isRetryable,
        Func<string, int, string, Exception?, AwsServiceException> newException)
    {
        _serviceLabel = serviceLabel;
        _requestTimeout = requestTimeout;
        _isRetryable = isRetryable;
        _newException = newException;

        // HttpClient's own timeout stops at the response headers; each attempt's token covers the body too.
        _http = new HttpClient(new SigV4SigningHandler(credentials, region, signingName, innerHandler), disposeHandler: true)
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>A default transport for a long-lived client.</summary>
    public static HttpMessageHandler DefaultHandler() => new SocketsHttpHandler
    {
        // Long-lived connections would pin a client to one front-end host; rotating them follows DNS changes.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
    };

    /// <summary>
    /// Posts <paramref name="body"/> to <paramref name="uri"/> with retries; returns the successful response body (the
    /// caller disposes it). <paramref name="addHeaders"/> sets the operation's headers on each attempt's request.
    /// </summary>
    /// <exception cref="AwsServiceException">The error is not retried, or the retry budget is spent.</exception>
    public async Task<PooledByteBuffer> PostAsync(string operation, Uri uri, string contentType, Action<HttpRequestMessage>? addHeaders,
        ReadOnlyMemory<byte> body, AwsRetryPolicy retryPolicy, CancellationToken cancellationToken)
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
                using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body) };
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
                request.Headers.TryAddWithoutValidation("X-Amz-Content-SHA256", payloadHash);
                addHeaders?.Invoke(request);
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
                    var (code, status, message) = AwsErrorBody.Read(response, content.WrittenSpan);
                    failure = _newException(code, status, $"{_serviceLabel} {operation} failed: {code} (HTTP {status}): {message ?? "no message"}", null);
                }
            }
            catch (Exception e) when (IsNetworkFailure(e, cancellationToken))
            {
                var name = e is OperationCanceledException ? "RequestTimeout" : e.GetType().Name;
                failure = _newException(name, 0, $"{_serviceLabel} {operation}: {name}: {e.Message}", e);
            }

            var retryable = failure.StatusCode == 0 || _isRetryable(failure.ErrorCode, failure.StatusCode);
            if (!retryable)
            {
                throw failure;
            }

            var delay = retryPolicy.NextDelay(attempts, attempts, waited);
            if (delay is not { } pause)
            {
                throw _newException(failure.ErrorCode, failure.StatusCode,
                    $"{_serviceLabel} {operation} failed after {attempts} attempts ({waited.TotalSeconds:0.#} s of backoff), last error {failure.ErrorCode}: {failure.Message}",
                    failure);
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            waited += pause;
        }
    }

    /// <summary>Disposes the HTTP client and its handlers.</summary>
    public void Dispose() => _http.Dispose();

    private static bool IsNetworkFailure(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or IOException
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested); // the attempt's timeout
}

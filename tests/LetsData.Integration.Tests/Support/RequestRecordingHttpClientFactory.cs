using System.Collections.Concurrent;
using Amazon.Runtime;

namespace LetsData.Integration.Tests.Support;

/// <summary>
/// Plugged into an S3 client: forwards every request to the emulator and records its method and path with query.
/// Requests matching <see cref="Refuse"/> get a 403 AccessDenied answer instead (a failure no retry gets past).
/// </summary>
internal sealed class RequestRecordingHttpClientFactory : HttpClientFactory
{
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Given "METHOD path?query", true to answer 403 instead of forwarding.</summary>
    public Func<string, bool>? Refuse { get; init; }

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new Handler(this, new SocketsHttpHandler())) { Timeout = TimeSpan.FromMinutes(2) };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    public override string GetConfigUniqueString(IClientConfig clientConfig) => "request-recording";

    private sealed class Handler(RequestRecordingHttpClientFactory owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var line = $"{request.Method} {Uri.UnescapeDataString(request.RequestUri!.PathAndQuery)}";
            owner.Requests.Enqueue(line);
            if (owner.Refuse?.Invoke(line) == true)
            {
                return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.Forbidden)
                {
                    RequestMessage = request,
                    Content = new StringContent(
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>Access Denied (test)</Message><RequestId>test</RequestId></Error>",
                        System.Text.Encoding.UTF8, "application/xml"),
                });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}

using System.Collections.Concurrent;
using Amazon.Runtime;

namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// Plugged into an S3 client: forwards every request unchanged and notes the Range header of each GET, so a test can
/// tell a resumed read (a ranged GET past byte 0) from one that started over. It injects nothing; the faults here
/// are real emulator crashes.
/// </summary>
internal sealed class GetRangeRecorder : HttpClientFactory
{
    /// <summary>The Range header of every GET in order, null for a GET of the whole object.</summary>
    public ConcurrentQueue<string?> Ranges { get; } = new();

    /// <summary>Completes when a GET gets no answer at all (connection refused): the reader is retrying against a dead endpoint.</summary>
    public Task FirstUnansweredGet => _unanswered.Task;

    private readonly TaskCompletionSource _unanswered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new Recorder(this, new SocketsHttpHandler())) { Timeout = TimeSpan.FromMinutes(2) };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    public override string GetConfigUniqueString(IClientConfig clientConfig) => "get-range-recorder";

    private sealed class Recorder(GetRangeRecorder owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method != HttpMethod.Get)
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            owner.Ranges.Enqueue(request.Headers.Range?.ToString());
            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException)
            {
                owner._unanswered.TrySetResult();
                throw;
            }
        }
    }
}

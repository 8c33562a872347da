using System.Diagnostics;
using Amazon.Runtime;
using LetsData.Runtime.Reading;

namespace LetsData.Benchmarks.Connectors;

/// <summary>
/// A model of a remote object store for the S3 read measurement: each response body is delivered no faster than
/// <c>bytesPerSecond</c>, as one connection to S3 typically is (a single GET is bounded by its connection, not by the
/// service), while the local emulator would otherwise serve at memory speed on the worker's own cores. Plugged into the
/// S3 client as its HTTP client factory.
/// </summary>
internal sealed class PerConnectionBandwidthCap(long bytesPerSecond) : HttpClientFactory
{
    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new Capping(bytesPerSecond, new SocketsHttpHandler())) { Timeout = TimeSpan.FromMinutes(5) };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    public override string GetConfigUniqueString(IClientConfig clientConfig) => $"capped-{bytesPerSecond}";

    private sealed class Capping(long bytesPerSecond, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (request.Method != HttpMethod.Get || !response.IsSuccessStatusCode)
            {
                return response;
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var capped = new StreamContent(new CappedStream(body, bytesPerSecond));
            foreach (var header in response.Content.Headers)
            {
                capped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content = capped;
            return response;
        }
    }

    /// <summary>Waits before a read whenever the bytes handed out so far are ahead of the rate.</summary>
    private sealed class CappedStream(Stream inner, long bytesPerSecond) : ReadOnlyForwardStream
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _delivered;

        public override int Read(Span<byte> buffer)
        {
            var rented = new byte[buffer.Length];
            var read = ReadAsync(rented).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var due = TimeSpan.FromSeconds(_delivered / (double)bytesPerSecond) - _clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, cancellationToken).ConfigureAwait(false);
            }

            // At most 64 KB at a time, so the rate holds within a large read too.
            var read = await inner.ReadAsync(buffer[..Math.Min(buffer.Length, 64 * 1024)], cancellationToken).ConfigureAwait(false);
            _delivered += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

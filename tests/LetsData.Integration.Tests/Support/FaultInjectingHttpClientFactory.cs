using System.Collections.Concurrent;
using Amazon.Runtime;

namespace LetsData.Integration.Tests.Support;

/// <summary>
/// What no emulator does: connections dropped mid-body. Plugged into the S3 client (AWSSDK's
/// <see cref="HttpClientFactory"/>), it forwards every request to the real emulator, records each GET (path, Range,
/// If-Match), and cuts the body of the i-th GET of <see cref="TargetKey"/> with an <see cref="IOException"/> after
/// <c>dropAfterBytes[i]</c> bytes (GETs past the end of the list are left alone).
/// </summary>
internal sealed class FaultInjectingHttpClientFactory(string targetKey, params long[] dropAfterBytes) : HttpClientFactory
{
    private int _targetGets = -1;

    public string TargetKey { get; } = targetKey;

    public ConcurrentQueue<RecordedGet> Gets { get; } = new();

    /// <summary>Bytes handed out by each dropped body before it failed.</summary>
    public ConcurrentQueue<long> DroppedAt { get; } = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new Handler(this, new SocketsHttpHandler())) { Timeout = TimeSpan.FromMinutes(2) };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    public override string GetConfigUniqueString(IClientConfig clientConfig) => "fault-injecting";

    public IReadOnlyList<RecordedGet> GetsOfTarget() =>
        Gets.Where(g => g.Path.EndsWith(TargetKey, StringComparison.Ordinal)).ToList();

    private long? DropPointOfNextGet()
    {
        var index = Interlocked.Increment(ref _targetGets);
        return index < dropAfterBytes.Length ? dropAfterBytes[index] : null;
    }

    private sealed class Handler(FaultInjectingHttpClientFactory owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (request.Method != HttpMethod.Get)
            {
                return response;
            }

            var path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
            owner.Gets.Enqueue(new RecordedGet(path, request.Headers.Range?.ToString(),
                request.Headers.IfMatch.Count > 0 ? request.Headers.IfMatch.ToString() : null, (int)response.StatusCode));
            if (response.IsSuccessStatusCode && path.EndsWith(owner.TargetKey, StringComparison.Ordinal)
                && owner.DropPointOfNextGet() is { } dropAfter)
            {
                var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var cut = new StreamContent(new DroppingStream(body, dropAfter, owner.DroppedAt));
                foreach (var header in response.Content.Headers)
                {
                    cut.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }

                response.Content = cut;
            }

            return response;
        }
    }

    /// <summary>Passes <c>limit</c> bytes through, then fails as a reset connection does.</summary>
    private sealed class DroppingStream(Stream inner, long limit, ConcurrentQueue<long> droppedAt) : Stream
    {
        private long _passed;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _passed; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_passed >= limit)
            {
                droppedAt.Enqueue(_passed);
                throw new IOException("Unable to read data from the transport connection: Connection reset by peer (injected).");
            }

            var allowed = (int)Math.Min(buffer.Length, limit - _passed);
            var read = await inner.ReadAsync(buffer[..allowed], cancellationToken).ConfigureAwait(false);
            _passed += read;
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

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

internal sealed record RecordedGet(string Path, string? Range, string? IfMatch, int Status);

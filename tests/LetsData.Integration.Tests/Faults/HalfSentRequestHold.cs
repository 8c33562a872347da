using System.Net;

namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// Pacing, not a fault: the <c>n</c>-th request of one Kinesis operation leaves with only the first half of its body,
/// then waits until released before sending the rest. A test kills the emulator in that pause, so the crash hits a
/// request that is truly on the wire (headers and part of the body received, nothing answered).
/// </summary>
internal sealed class HalfSentRequestHold(string operation, int n, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly TaskCompletionSource _halfSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _seen;

    /// <summary>Completes when the held request's first half has been written to the connection.</summary>
    public Task HalfSent => _halfSent.Task;

    public void Release() => _released.TrySetResult();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.Single() : "";
        if (target.EndsWith("." + operation, StringComparison.Ordinal) && Interlocked.Increment(ref _seen) == n && request.Content is { } content)
        {
            request.Content = new HalfThenRest(content, this);
        }

        return base.SendAsync(request, cancellationToken);
    }

    private sealed class HalfThenRest : HttpContent
    {
        private readonly HttpContent _original;
        private readonly HalfSentRequestHold _owner;

        public HalfThenRest(HttpContent original, HalfSentRequestHold owner)
        {
            _original = original;
            _owner = owner;

            // Content-Type and the rest were signed; the request must carry them unchanged.
            foreach (var header in original.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var body = await _original.ReadAsByteArrayAsync().ConfigureAwait(false);
            var half = body.Length / 2;
            await stream.WriteAsync(body.AsMemory(0, half)).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
            _owner._halfSent.TrySetResult();
            await _owner._released.Task.WaitAsync(OneTaskRun.Guard).ConfigureAwait(false);
            await stream.WriteAsync(body.AsMemory(half)).ConfigureAwait(false);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _original.Headers.ContentLength ?? -1;
            return length >= 0;
        }
    }
}

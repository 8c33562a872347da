namespace LetsData.Runtime.Reading;

/// <summary>
/// The raw (possibly compressed) input as read from its source: replays bytes already read from it (the few sniffed to
/// detect the format, or a window scanned for a gzip member start), then forwards to the source, counting the bytes
/// that came from storage.
/// </summary>
/// <param name="prefix">The bytes already read.</param>
/// <param name="start">Where in <paramref name="prefix"/> the replay starts.</param>
/// <param name="end">Where it ends (exclusive).</param>
/// <param name="inner">The source, positioned right after the prefix.</param>
/// <param name="returnPrefix">Gives <paramref name="prefix"/> back to its pool on disposal (null: it is not pooled).</param>
internal sealed class CountingPrefixedStream(byte[] prefix, int start, int end, Stream inner, Action<byte[]>? returnPrefix = null) : ReadOnlyForwardStream
{
    private int _prefixPosition = start;
    private long _bytesRead;
    private bool _disposed;

    /// <summary>Replays <paramref name="prefixLength"/> sniffed bytes, then the source.</summary>
    public CountingPrefixedStream(byte[] prefix, int prefixLength, Stream inner)
        : this(prefix, 0, prefixLength, inner)
    {
    }

    /// <summary>Bytes read from the source so far (compressed size for compressed files).</summary>
    public long BytesRead => Volatile.Read(ref _bytesRead);

    public override int Read(Span<byte> buffer)
    {
        if (TryReadPrefix(buffer, out var n))
        {
            return n;
        }

        n = inner.Read(buffer);
        Interlocked.Add(ref _bytesRead, n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (TryReadPrefix(buffer.Span, out var n))
        {
            return n;
        }

        n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytesRead, n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private bool TryReadPrefix(Span<byte> buffer, out int n)
    {
        n = Math.Min(buffer.Length, end - _prefixPosition);
        if (n <= 0)
        {
            return false;
        }

        prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
        _prefixPosition += n;
        Interlocked.Add(ref _bytesRead, n);
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            inner.Dispose();
            ReturnPrefix();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await inner.DisposeAsync().ConfigureAwait(false);
            ReturnPrefix();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    private void ReturnPrefix() => returnPrefix?.Invoke(prefix);
}

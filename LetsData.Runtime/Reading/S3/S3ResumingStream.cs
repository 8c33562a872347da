using Amazon.S3.Model;

namespace LetsData.Runtime.Reading.S3;

/// <summary>
/// An S3 object's body as a forward-only stream. When the connection drops (an <see cref="IOException"/> or
/// <see cref="HttpRequestException"/> while reading, or the body ending before its Content-Length), it reopens the
/// object with <c>Range: bytes=N-</c> from the last byte received, pinned to the first response's ETag, after a
/// backoff. A read that gets no byte within <see cref="S3ResumeOptions.ReadTimeout"/> counts as a drop too. After
/// <see cref="S3ResumeOptions.MaxAttempts"/> attempts in a row without progress it fails with an
/// error naming the bucket, key and offset. Nothing is buffered beyond what the caller asks for.
/// </summary>
internal sealed class S3ResumingStream : ReadOnlyForwardStream, IReopenableAtOffset
{
    private readonly S3FileSource _source;
    private readonly string _key;
    private readonly string? _eTag;
    private readonly long _length;
    private readonly CancellationToken _openToken;
    private GetObjectResponse? _response;
    private Stream? _body;
    private long _position;
    private readonly long _rangeBytes;
    private long _responseStart;
    private long _responseEnd;
    private int _failuresInARow;
    private bool _disposed;

    /// <param name="source">The source that reopens the object.</param>
    /// <param name="key">The object.</param>
    /// <param name="response">The first GET's response.</param>
    /// <param name="startOffset">The object offset the response's body starts at (a ranged GET).</param>
    /// <param name="openToken">Cancels reopening GETs.</param>
    public S3ResumingStream(S3FileSource source, string key, GetObjectResponse response, long startOffset, CancellationToken openToken)
        : this(source, key, response.ETag, startOffset, startOffset + response.ContentLength, rangeBytes: 0, openToken)
    {
        _response = response;
        _body = response.ResponseStream;
        _responseStart = startOffset;
        _responseEnd = _length;
    }

    /// <summary>
    /// A reader with no response yet, reading in ranged GETs of <paramref name="rangeBytes"/> (0: one GET to the end of
    /// the object): its first read makes the GET, with the retries of a resume.
    /// </summary>
    private S3ResumingStream(S3FileSource source, string key, string? eTag, long startOffset, long length, long rangeBytes, CancellationToken openToken)
    {
        _source = source;
        _key = key;
        _eTag = eTag;
        _position = startOffset;
        _length = length;
        _rangeBytes = rangeBytes;
        _openToken = openToken;
    }

    /// <summary>
    /// Another reader of the same object version (pinned to this one's ETag) from <paramref name="offset"/>: a block of a
    /// parallel inflate. It reads in ranged GETs of <paramref name="expectedBytes"/>, one after another as far as it is
    /// read: a GET to the end of the object, abandoned after the block, would have the server send (and the connection
    /// buffer) data nobody reads, and could not be reused. Its first GET is made on its first read, so a failing one is
    /// retried like a dropped connection.
    /// </summary>
    public ValueTask<Stream> OpenAtAsync(long offset, long expectedBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, _length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(expectedBytes);
        return ValueTask.FromResult<Stream>(new S3ResumingStream(_source, _key, _eTag, offset, _length, expectedBytes, cancellationToken));
    }

    public override long Length => _length;
    public override long Position => _position;

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override int Read(Span<byte> buffer)
    {
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = Read(rented, 0, buffer.Length);
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty || _position >= _length)
        {
            return 0;
        }

        using var linked = _openToken.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _openToken) : null;
        var token = linked?.Token ?? cancellationToken;
        var readTimeout = _source.Resume.ReadTimeout;
        while (true)
        {
            Exception failure;

            // A server that hangs (or a network that loses packets) keeps the connection open and sends nothing: no
            // error ever comes, and the SDK's timeout does not cover the body. Silence for this long counts as a drop.
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(token);
            attempt.CancelAfter(readTimeout);
            try
            {
                if (_body is null)
                {
                    await ReopenAsync(attempt.Token).ConfigureAwait(false);
                }

                var read = await _body!.ReadAsync(buffer, attempt.Token).ConfigureAwait(false);
                if (read > 0)
                {
                    _position += read;
                    _failuresInARow = 0;
                    return read;
                }

                if (_position == _responseEnd && _responseEnd > _responseStart && _position < _length)
                {
                    // One ranged GET read to its end: the next range follows (not a failure).
                    CloseBody();
                    continue;
                }

                failure = new IOException($"the response body ended after {_position} of {_length} bytes");
            }
            catch (OperationCanceledException e) when (!token.IsCancellationRequested)
            {
                failure = new TimeoutException($"no data from S3 for {readTimeout.TotalSeconds:0.###} s", e);
            }
            catch (Exception e) when (S3FileSource.IsTransient(e) && !token.IsCancellationRequested)
            {
                failure = e;
            }

            CloseBody();
            _failuresInARow++;
            if (_failuresInARow > _source.Resume.MaxAttempts)
            {
                throw new IOException(
                    $"s3://{_source.BucketName}/{_key}: reading failed at byte offset {_position} of {_length} after {_source.Resume.MaxAttempts} resume attempt(s): {failure.Message}",
                    failure);
            }

            await Task.Delay(Backoff(_failuresInARow), token).ConfigureAwait(false);
        }
    }

    private async Task ReopenAsync(CancellationToken token)
    {
        long? end = _rangeBytes > 0 ? Math.Min(_length, _position + _rangeBytes) : null;
        var response = await _source.GetAsync(_key, _position, end, _eTag, token).ConfigureAwait(false);
        _response = response;
        _body = response.ResponseStream;
        _responseStart = _position;
        _responseEnd = _position + response.ContentLength;
    }

    private TimeSpan Backoff(int attempt)
    {
        var options = _source.Resume;
        var exponential = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 16));
        var capped = Math.Min(exponential, options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2))); // "equal jitter"
    }

    private void CloseBody()
    {
        var response = _response;
        _body = null;
        _response = null;
        try
        {
            response?.Dispose();
        }
        catch (Exception)
        {
            // Disposing a broken connection may throw; the next request uses a new one.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            CloseBody();
        }

        base.Dispose(disposing);
    }
}

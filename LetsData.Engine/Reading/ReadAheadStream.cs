using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace LetsData.Runtime.Reading;

/// <summary>
/// Reads the inner stream asynchronously in the background into a few pooled chunks and serves them to a
/// synchronous reader. Plugin calls are synchronous by contract (<c>ISystemFileReader.NextRecord</c> is called from
/// inside the plugin), so the scanner reads synchronously; this stage keeps the I/O asynchronous and lets
/// decompression run on one core while parsing runs on the other.
/// </summary>
internal sealed class ReadAheadStream : ReadOnlyForwardStream
{
    private const int ChunkBytes = 256 * 1024;
    private const int ChunksAhead = 4;

    private readonly Stream _inner;
    private readonly Channel<Chunk> _chunks;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _producer;
    private Chunk _current;
    private int _currentPosition;
    private bool _completed;

    public ReadAheadStream(Stream inner)
    {
        _inner = inner;
        _chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(ChunksAhead)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _producer = Task.Run(ProduceAsync);
    }

    private async Task ProduceAsync()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
                var filled = 0;
                try
                {
                    int read;
                    while (filled < ChunkBytes && (read = await _inner.ReadAsync(buffer.AsMemory(filled, ChunkBytes - filled), token)
                               .ConfigureAwait(false)) > 0)
                    {
                        filled += read;
                    }
                }
                catch (Exception) when (filled > 0 && !token.IsCancellationRequested)
                {
                    // Hand over the good bytes decoded before the failure (e.g. a truncated gzip member) first,
                    // so the records in them are processed before the error surfaces.
                    await _chunks.Writer.WriteAsync(new Chunk(buffer, filled), token).ConfigureAwait(false);
                    throw;
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (filled == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    _chunks.Writer.TryComplete();
                    return;
                }

                await _chunks.Writer.WriteAsync(new Chunk(buffer, filled), token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            _chunks.Writer.TryComplete();
        }
        catch (Exception e)
        {
            // Surfaces at the reader after every good byte before it has been served.
            _chunks.Writer.TryComplete(e);
        }
    }

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_current.Buffer is null || _currentPosition == _current.Length)
        {
            if (_completed || !NextChunk())
            {
                return 0;
            }
        }

        var n = Math.Min(buffer.Length, _current.Length - _currentPosition);
        _current.Buffer.AsSpan(_currentPosition, n).CopyTo(buffer);
        _currentPosition += n;
        return n;
    }

    private bool NextChunk()
    {
        ReturnCurrent();
        var reader = _chunks.Reader;
        while (!reader.TryRead(out _current))
        {
            bool more;
            try
            {
                more = reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (ChannelClosedException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }

            if (!more)
            {
                _completed = true;
                return false;
            }
        }

        _currentPosition = 0;
        return true;
    }

    private void ReturnCurrent()
    {
        if (_current.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_current.Buffer);
            _current = default;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Shutdown();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        Shutdown();
        return base.DisposeAsync();
    }

    private void Shutdown()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            _producer.GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            // The producer reports its failures through the channel; at shutdown nobody is left to hear them.
        }

        ReturnCurrent();
        while (_chunks.Reader.TryRead(out var chunk))
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }

        _inner.Dispose();
        _stop.Dispose();
    }

    private readonly record struct Chunk(byte[] Buffer, int Length);
}

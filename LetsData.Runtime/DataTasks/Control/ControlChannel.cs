using System.Buffers.Binary;
using System.Text.Json;

namespace LetsData.Runtime.DataTasks.Control;

/// <summary>
/// One end of a control channel: length-prefixed JSON messages (4 bytes little-endian, then UTF-8) over a pair of
/// pipes. Writes are serialized (a task thread and the heartbeat share the channel); one reader reads.
/// </summary>
internal sealed class ControlChannel(Stream input, Stream output) : IDisposable
{
    /// <summary>No control message comes near this; a larger length means the stream is not a control channel.</summary>
    public const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly Lock _writeLock = new();
    private readonly byte[] _lengthBuffer = new byte[4];

    /// <summary>Sends one message; thread-safe. Throws <see cref="IOException"/> when the other end is gone.</summary>
    public void Send(ControlMessage message)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(message, ControlJsonContext.Default.ControlMessage);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, payload.Length);
        lock (_writeLock)
        {
            output.Write(length);
            output.Write(payload);
            output.Flush();
        }
    }

    /// <summary>The next message; null at the end of the stream (the other end closed or died).</summary>
    /// <exception cref="InvalidDataException">The stream does not hold a control message here.</exception>
    public async Task<ControlMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        if (!await ReadExactlyOrEndAsync(_lengthBuffer, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(_lengthBuffer);
        if (length is <= 0 or > MaxMessageBytes)
        {
            throw new InvalidDataException($"control channel: a message of {length} bytes is not a control message");
        }

        var payload = new byte[length];
        if (!await ReadExactlyOrEndAsync(payload, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidDataException($"control channel: the stream ended inside a message of {length} bytes");
        }

        try
        {
            return JsonSerializer.Deserialize(payload, ControlJsonContext.Default.ControlMessage)
                ?? throw new InvalidDataException("control channel: a null message");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"control channel: an unreadable message: {e.Message}", e);
        }
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return read == 0 ? false : throw new InvalidDataException("control channel: the stream ended inside a message");
            }

            read += n;
        }

        return true;
    }

    public void Dispose()
    {
        input.Dispose();
        output.Dispose();
    }
}

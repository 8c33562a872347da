using System.Buffers.Binary;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// The hosts' framing on a pipe: a 4-byte big-endian length, then that many bytes of UTF-8 JSON. A pipe needs no
/// port and no socket, so it also works for processes that may not open sockets.
/// </summary>
internal static class BridgeFraming
{
    /// <summary>The largest frame accepted from a host (a runaway host must not make the worker allocate without end).</summary>
    public const int MaxFrameBytes = 512 * 1024 * 1024;

    public static void Write(Stream stream, ReadOnlySpan<byte> json)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)json.Length);
        stream.Write(header);
        stream.Write(json);
        stream.Flush();
    }

    /// <summary>The next frame's bytes, or null when the stream ended (the host exited).</summary>
    /// <exception cref="InvalidDataException">The length is out of range or the stream ended inside a frame.</exception>
    public static byte[]? Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[4];
        if (stream.ReadAtLeast(header, 4, throwOnEndOfStream: false) < 4)
        {
            return null;
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length > MaxFrameBytes)
        {
            throw new InvalidDataException($"a bridge host sent a frame of {length} bytes (at most {MaxFrameBytes})");
        }

        var body = new byte[length];
        if (stream.ReadAtLeast(body, body.Length, throwOnEndOfStream: false) < body.Length)
        {
            return null;
        }

        return body;
    }
}

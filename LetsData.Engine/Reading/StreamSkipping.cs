using System.Buffers;

namespace LetsData.Runtime.Reading;

/// <summary>Moves a forward-only stream to an offset by reading (a resumed task's file that cannot be opened there directly).</summary>
internal static class StreamSkipping
{
    /// <exception cref="InputReadException">The stream ends before <paramref name="count"/> bytes.</exception>
    /// <param name="stream">The stream, at <paramref name="startOffset"/>.</param>
    /// <param name="count">Bytes to skip.</param>
    /// <param name="location">The file, for messages.</param>
    /// <param name="startOffset">The file offset the stream is at (for messages).</param>
    /// <param name="cancellationToken">Stops the skip.</param>
    public static async ValueTask SkipAsync(Stream stream, long count, string location, long startOffset, CancellationToken cancellationToken)
    {
        if (stream.CanSeek)
        {
            if (stream.Length - stream.Position < count)
            {
                throw new InputReadException(location, startOffset, $"the file ends before offset {startOffset + count} of the checkpoint");
            }

            stream.Seek(count, SeekOrigin.Current);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var left = count;
            while (left > 0)
            {
                var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new InputReadException(location, startOffset + count - left, $"the file ends before offset {startOffset + count} of the checkpoint");
                }

                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

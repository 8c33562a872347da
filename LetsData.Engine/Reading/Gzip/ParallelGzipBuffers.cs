namespace LetsData.Runtime.Reading.Gzip;

/// <summary>
/// The buffers of <see cref="ParallelGzipStream"/>: the inflated chunks handed from its workers to the reader, and the
/// compressed window each block scans for its first member. Both are recycled through fixed-size pools, so a long
/// file costs no more memory than a short one: the buffers allocated are the most that were in flight at once.
/// </summary>
internal sealed class ParallelGzipBuffers
{
    /// <summary>Shared by every stream of the default block size in the process (one task reads file after file).</summary>
    private static readonly ParallelGzipBuffers DefaultSize = new(ParallelGzipStream.DefaultBlockBytes);

    /// <param name="blockBytes">Nominal compressed bytes per block; a window holds a block and the bytes that verify a member start near its end.</param>
    public ParallelGzipBuffers(int blockBytes)
    {
        Chunks = new FixedSizeBufferPool(ParallelGzipStream.ChunkBytes);
        Windows = new FixedSizeBufferPool(blockBytes + ParallelGzipStream.VerifyBytes);
    }

    /// <summary>Inflated chunks of <see cref="ParallelGzipStream.ChunkBytes"/>.</summary>
    public FixedSizeBufferPool Chunks { get; }

    /// <summary>Compressed windows a block's worker scans for its first member start.</summary>
    public FixedSizeBufferPool Windows { get; }

    /// <summary>The process-wide buffers for <paramref name="blockBytes"/> of the default size, private ones otherwise.</summary>
    public static ParallelGzipBuffers For(int blockBytes) => blockBytes == ParallelGzipStream.DefaultBlockBytes ? DefaultSize : new(blockBytes);
}

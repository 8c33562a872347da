namespace LetsData.Runtime.Reading.Gzip;

/// <summary>
/// The buffers of <see cref="ParallelGzipStream"/>: the inflated chunks handed from its workers to the reader, and the
/// compressed window each block scans for its first member. Both are recycled through fixed-size pools, so a long
/// file costs no more memory than a short one: the buffers allocated are the most that were in flight at once.
/// </summary>
internal sealed class ParallelGzipBuffers
{
    /// <summary>One set per block size, shared by every stream of that size in the process (one task reads file after file).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, ParallelGzipBuffers> BySize = new();

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

    /// <summary>The process-wide buffers for blocks of <paramref name="blockBytes"/>.</summary>
    public static ParallelGzipBuffers For(int blockBytes) => BySize.GetOrAdd(blockBytes, size => new ParallelGzipBuffers(size));
}

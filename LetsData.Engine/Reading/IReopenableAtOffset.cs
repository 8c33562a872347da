namespace LetsData.Runtime.Reading;

/// <summary>
/// A forward-only stream over a stored file whose <see cref="Stream.Length"/> (the whole file's) is known and which can
/// open another reader of the same bytes at any offset: a ranged GET pinned to the same S3 object version, the same
/// memory. Inflating a gzip file in parallel blocks (<see cref="Gzip.ParallelGzipStream"/>) needs exactly that, and
/// such a stream cannot seek.
/// </summary>
internal interface IReopenableAtOffset
{
    /// <summary>
    /// A new reader of the same file from byte <paramref name="offset"/> of the whole file on; the caller owns it.
    /// <paramref name="expectedBytes"/> is how much the caller expects to read: a hint (it may stop earlier or read on).
    /// Works after this stream is disposed: a parallel inflate reads its first block from this stream itself and
    /// disposes it when the block is done, while later blocks are still being opened.
    /// </summary>
    ValueTask<Stream> OpenAtAsync(long offset, long expectedBytes, CancellationToken cancellationToken);
}

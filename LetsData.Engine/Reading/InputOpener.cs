using LetsData.Runtime.Reading.Gzip;

namespace LetsData.Runtime.Reading;

/// <summary>
/// Opens a file of a read connector as the decompressed byte stream the record scanner reads: detects gzip by its
/// magic bytes (Common Crawl files are multi-member gzip) and inflates it with <see cref="GzipMemberStream"/>, which
/// records where each member starts (<see cref="OpenedInput.GzipMembers"/>, for crash-resume checkpoints). A read-ahead
/// stage keeps the storage I/O asynchronous and ahead of the task. Where decompression runs depends on the task:
/// <list type="bullet">
/// <item>one file per task: on the task's thread, right before the scan — handing decompressed chunks between threads
/// cost more than scanning data still hot in the cache (Bench: 1.00 of GZipStream inline, 0.79 handed over); a gzip
/// file of at least <see cref="ParallelGzipStream.MinimumCompressedBytes"/> (a local file, an S3 object, memory) is
/// instead inflated in blocks on every core by <see cref="ParallelGzipStream"/> (one inflating thread is slower than
/// the scan);</item>
/// <item>several files read in lockstep (multiple-file readers): ahead, on pool threads — one thread inflating three
/// files one after another would leave the other core idle while the reader waits.</item>
/// </list>
/// </summary>
internal static class InputOpener
{
    public static ValueTask<OpenedInput> OpenAsync(IFileSource source, string fileName, bool decompressAhead,
        CancellationToken cancellationToken) =>
        OpenAsync(source, fileName, decompressAhead, InputStart.Beginning, cancellationToken);

    /// <summary>Opens the file at <paramref name="start"/>: a resumed task's position (its decoded stream starts at <see cref="InputStart.DecodedOffset"/>).</summary>
    public static async ValueTask<OpenedInput> OpenAsync(IFileSource source, string fileName, bool decompressAhead, InputStart start,
        CancellationToken cancellationToken)
    {
        var raw = start.RawOffset == 0
            ? await source.OpenReadAsync(fileName, cancellationToken).ConfigureAwait(false)
            : await source.OpenReadAsync(fileName, start.RawOffset, cancellationToken).ConfigureAwait(false);
        try
        {
            // Known for a local file and an S3 object, taken before the first read: a file that then yields fewer bytes
            // shrank while it was read.
            long? length = raw is IReopenableAtOffset || raw.CanSeek ? raw.Length : null;
            var head = new byte[GzipMemberStream.Magic.Length];
            var headLength = await raw.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            var counted = new CountingPrefixedStream(head, headLength, raw);
            // Mid-file, plain data may start with the magic bytes by chance: there the checkpoint says what the file is.
            var hasMagic = headLength == head.Length && head.AsSpan().SequenceEqual(GzipMemberStream.Magic);
            var isGzip = start.Compressed ?? hasMagic;
            if (isGzip && start.RawOffset > 0 && !hasMagic)
            {
                throw new InputReadException(source.Describe(fileName), start.RawOffset,
                    "the checkpoint's gzip member does not start here (no gzip magic bytes): the file changed since the checkpoint");
            }

            if (!isGzip && start.RawOffset == 0 && fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                throw new InputReadException(source.Describe(fileName), 0,
                    "the file is named .gz but does not start with the gzip magic bytes 1f 8b");
            }

            if (!isGzip)
            {
                return new OpenedInput(new ReadAheadStream(counted), () => counted.BytesRead, gzipMembers: null, start.RawOffset, length);
            }

            // One file per task, large enough to split: inflate blocks of it on every core (one thread inflating is
            // slower than the scan behind it). Splitting needs the length and a reader per block: a local file seeks;
            // an S3 object is read with ranged GETs pinned to its version, memory is sliced. A resumed task starts at a
            // member start, so the rest of the file splits the same way.
            Func<long, CancellationToken, ValueTask<Stream>>? openBlockAt = raw switch
            {
                IReopenableAtOffset reopenable => (offset, token) => reopenable.OpenAtAsync(offset, ParallelGzipStream.BlockReadBytes, token),
                { CanSeek: true } => (offset, token) => source.OpenReadAsync(fileName, offset, token),
                _ => null,
            };
            if (!decompressAhead && openBlockAt is not null && length is { } total && total - start.RawOffset >= ParallelGzipStream.MinimumCompressedBytes)
            {
                // Its blocks are cut from the length at open: a file cut shorter fails a block's inflate instead.
                var parallel = new ParallelGzipStream(openBlockAt, start.RawOffset, total, start.DecodedOffset, firstSource: counted);
                return new OpenedInput(parallel, () => parallel.CompressedBytesRead, parallel.Members, start.RawOffset, lengthAtOpen: null);
            }

            // The same two placements as with GZipStream before (Bench --only gzip: the member stream keeps its pace).
            // Positions stay those of the whole file when a resumed task starts at a member start.
            var gzip = new GzipMemberStream(decompressAhead ? counted : new ReadAheadStream(counted), start.RawOffset, start.DecodedOffset);
            Stream decoded = decompressAhead ? new ReadAheadStream(gzip) : gzip;
            return new OpenedInput(decoded, () => counted.BytesRead, gzip.Members, start.RawOffset, length);
        }
        catch
        {
            await raw.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

/// <summary>
/// Where a file is opened: byte <see cref="RawOffset"/> of the stored file, whose decoded data starts at
/// <see cref="DecodedOffset"/> (the same for plain files; a gzip member start for compressed ones).
/// <see cref="Compressed"/> is known for a resumed file and detected from the magic bytes otherwise.
/// </summary>
internal readonly record struct InputStart(long RawOffset, long DecodedOffset, bool? Compressed)
{
    public static InputStart Beginning => default;
}

/// <summary>
/// A file opened for scanning: the decoded stream, the raw byte counter behind it, for gzip its member starts, and the
/// stored file's length when it was opened (null when the source does not tell it).
/// </summary>
internal sealed class OpenedInput(Stream decoded, Func<long> rawBytesRead, GzipMemberMap? gzipMembers, long rawStart = 0,
    long? lengthAtOpen = null) : IAsyncDisposable
{
    public Stream Decoded { get; } = decoded;
    public bool IsGzip => GzipMembers is not null;

    /// <summary>
    /// For a gzip file, the recent member starts met by the decompressor (which may run ahead of the scan on a pool
    /// thread; the map is thread-safe): <c>GzipMembers.TryGetMemberStartAtOrBefore(recordOffset, out var start)</c> gives
    /// where a resume can restart decompression. Null for a plain file (there, any offset is a restart point).
    /// </summary>
    public GzipMemberMap? GzipMembers { get; } = gzipMembers;

    /// <summary>Bytes read from storage (compressed size for gzip files), from <see cref="RawStart"/> on.</summary>
    public long RawBytesRead => rawBytesRead();

    /// <summary>The byte of the stored file reading started at (a resumed task's).</summary>
    public long RawStart { get; } = rawStart;

    /// <summary>The stored file's length when it was opened; null when unknown.</summary>
    public long? LengthAtOpen { get; } = lengthAtOpen;

    public ValueTask DisposeAsync() => Decoded.DisposeAsync();
}

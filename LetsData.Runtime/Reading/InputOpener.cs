using System.IO.Compression;

namespace LetsData.Runtime.Reading;

/// <summary>
/// Opens a file of a read connector as the decompressed byte stream the record scanner reads: detects gzip by its
/// magic bytes (Common Crawl files are multi-member gzip). A read-ahead stage keeps the storage I/O asynchronous
/// and ahead of the task; decompression runs on the task's thread, right before the scan, because handing
/// decompressed chunks between threads cost more than the scan of data still hot in the cache (measured by the
/// Bench target), and with several tasks every core is busy anyway.
/// </summary>
internal static class InputOpener
{
    private static readonly byte[] GzipMagic = [0x1f, 0x8b];

    public static async ValueTask<OpenedInput> OpenAsync(IFileSource source, string fileName, CancellationToken cancellationToken)
    {
        var raw = await source.OpenReadAsync(fileName, cancellationToken).ConfigureAwait(false);
        try
        {
            var head = new byte[GzipMagic.Length];
            var headLength = await raw.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            var counted = new CountingPrefixedStream(head, headLength, raw);
            var isGzip = headLength == GzipMagic.Length && head.AsSpan().SequenceEqual(GzipMagic);
            if (!isGzip && fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
            {
                throw new InputReadException(source.Describe(fileName), 0,
                    "the file is named .gz but does not start with the gzip magic bytes 1f 8b");
            }

            var readAhead = new ReadAheadStream(counted);
            Stream decoded = isGzip ? new GZipStream(readAhead, CompressionMode.Decompress, leaveOpen: false) : readAhead;
            return new OpenedInput(decoded, counted, isGzip);
        }
        catch
        {
            await raw.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}

/// <summary>A file opened for scanning: the decoded stream and the raw byte counter behind it.</summary>
internal sealed class OpenedInput(Stream decoded, CountingPrefixedStream raw, bool isGzip) : IAsyncDisposable
{
    public Stream Decoded { get; } = decoded;
    public bool IsGzip { get; } = isGzip;

    /// <summary>Bytes read from storage (compressed size for gzip files).</summary>
    public long RawBytesRead => raw.BytesRead;

    public ValueTask DisposeAsync() => Decoded.DisposeAsync();
}

using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Engine;

/// <summary>One opened file of a task: the decoded stream and the record scanner over it.</summary>
internal sealed class TaskInput : IAsyncDisposable
{
    private readonly OpenedInput _input;
    private readonly long _startOffset;

    private TaskInput(OpenedInput input, RecordScanner scanner, long startOffset)
    {
        _input = input;
        Scanner = scanner;
        _startOffset = startOffset;
    }

    public RecordScanner Scanner { get; }

    /// <summary>Decompressed bytes this attempt scanned (from its checkpoint's offset, or 0).</summary>
    public long BytesScanned => Scanner.Position - _startOffset;
    public long RawBytesRead => _input.RawBytesRead;

    /// <summary>Whether the file is gzip-compressed (a checkpoint says so for the resumed open).</summary>
    public bool IsGzip => _input.IsGzip;

    /// <summary>Opens the file at its start, or at <paramref name="resumeAt"/>'s offset for a resumed task.</summary>
    public static async ValueTask<TaskInput> OpenAsync(IFileSource source, string fileName, int maxRecordBytes,
        bool decompressAhead, FileCheckpoint? resumeAt, CancellationToken cancellationToken)
    {
        var offset = resumeAt?.Offset ?? 0;
        var start = resumeAt switch
        {
            null => InputStart.Beginning,
            { Member: { } member } => new InputStart(member.CompressedOffset, member.DecompressedOffset, Compressed: true),
            { Compressed: true } => new InputStart(0, 0, Compressed: true),
            _ => new InputStart(offset, offset, Compressed: false),
        };
        var input = await InputOpener.OpenAsync(source, fileName, decompressAhead, start, cancellationToken).ConfigureAwait(false);
        try
        {
            if (offset > start.DecodedOffset)
            {
                // Decompression restarts at a member start at or before the checkpoint; the bytes up to it were handled.
                await StreamSkipping.SkipAsync(input.Decoded, offset - start.DecodedOffset, source.Describe(fileName), start.DecodedOffset,
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await input.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new TaskInput(input, new RecordScanner(input.Decoded, fileName, maxRecordBytes, startOffset: offset), offset);
    }

    /// <summary>
    /// Where decompression could restart for a checkpoint at <paramref name="offset"/>: a gzip member start at or
    /// before it; null when none is known (resuming then decompresses the file from its start and skips).
    /// </summary>
    public GzipMemberCheckpoint? RestartPointFor(long offset)
    {
        if (_input.GzipMembers is not { } members || !members.TryGetMemberStartAtOrBefore(offset, out var start))
        {
            return null;
        }

        // Later checkpoints are never behind this one: the member starts before it are no longer needed.
        members.ForgetBefore(start.DecompressedOffset);
        return new GzipMemberCheckpoint(start.CompressedOffset, start.DecompressedOffset);
    }

    public async ValueTask DisposeAsync()
    {
        Scanner.Dispose();
        await _input.DisposeAsync().ConfigureAwait(false);
    }
}

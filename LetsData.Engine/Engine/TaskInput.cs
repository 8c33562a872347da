using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Engine;

/// <summary>One opened file of a task: the decoded stream and the record scanner over it.</summary>
internal sealed class TaskInput : IAsyncDisposable
{
    private readonly OpenedInput _input;
    private readonly long _startOffset;
    private readonly string _location;

    private TaskInput(OpenedInput input, RecordScanner scanner, long startOffset, string location)
    {
        _input = input;
        Scanner = scanner;
        _startOffset = startOffset;
        _location = location;
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

        return new TaskInput(input, new RecordScanner(input.Decoded, fileName, maxRecordBytes, startOffset: offset), offset,
            source.Describe(fileName));
    }

    /// <summary>
    /// What a file scanned to its end tells about itself that its task should report, though nothing failed: it shrank
    /// while it was read (fewer bytes than its length at open; truncated by another process), or it held no record at
    /// all (the wrong file for the reader?). Null when neither, or when the scan did not reach the end.
    /// </summary>
    public string? EndOfFileWarning()
    {
        if (Scanner.EndedSearchingFor is not { } startHint)
        {
            return null;
        }

        var rawRead = _input.RawStart + RawBytesRead;
        if (_input.LengthAtOpen is { } length && rawRead < length)
        {
            return $"file {_location}: {length} bytes when opened, but only {rawRead} could be read: it shrank while it was read";
        }

        // A resumed attempt found its records before the checkpoint, or the earlier attempt did.
        if (_startOffset > 0 || Scanner.RecordsFound > 0)
        {
            return null;
        }

        if (rawRead == 0)
        {
            return $"file {_location}: empty file, no record";
        }

        var decompressed = IsGzip ? $" ({Scanner.Position} decompressed)" : "";
        return $"file {_location}: {rawRead} bytes read{decompressed}, no record found — is it the right file type for the record start hint {startHint}?";
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

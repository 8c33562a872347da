using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace LetsData.Runtime.Reading.Gzip;

/// <summary>
/// Inflates a large multi-member gzip file (Common Crawl: one member per WARC record) on several cores for a single
/// reader: one inflating thread is slower than the record scan behind it, so a single-file task would otherwise be
/// bound by one core. The file is cut into blocks of about <see cref="DefaultBlockBytes"/> compressed bytes at member
/// boundaries; pool workers inflate the next few blocks ahead into pooled chunks and <see cref="Read(Span{byte})"/>
/// hands them out in file order.
/// <para>
/// Correctness does not rest on guessing member starts. Block j nominally covers [N_j, N_j+1); its worker scans from
/// N_j for a gzip header that also inflates cleanly (a candidate), and decodes from there up to the first member
/// boundary at or after N_j+1. A block is used only when its start equals the exact end of the block before, which
/// was decoded from a proven member start: member ends are proven member starts. A false candidate (the magic bytes
/// inside compressed data) therefore never reaches the output: the block is dropped and decoded again from the proven
/// boundary (sequentially, the cost of a rare miss).
/// </para>
/// <para>
/// Memory is bounded: at most <c>workers + 1</c> blocks are in flight, each holding at most
/// <see cref="ChunksPerBlock"/> chunks of <see cref="ChunkBytes"/> (a worker waits when its block is that far ahead),
/// and chunks and windows are recycled through <see cref="ParallelGzipBuffers"/>, not allocated per block: memory does
/// not grow with the file's length.
/// Member starts go into <see cref="Members"/> with absolute offsets as the reader reaches their chunk, like
/// <see cref="GzipMemberStream"/>, so checkpoints work alike. Errors (a truncated or corrupt member) surface only after
/// every good byte before them, with <see cref="GzipMemberStream"/>'s message naming the compressed offset.
/// </para>
/// One reader; <see cref="Members"/>, <see cref="DecompressedPosition"/> and <see cref="CompressedBytesRead"/> may be
/// read from any thread.
/// </summary>
internal sealed class ParallelGzipStream : ReadOnlyForwardStream
{
    /// <summary>Compressed bytes per block: large against the per-block start-up (a scan, one source open), small
    /// against the file so both cores get work early.</summary>
    public const int DefaultBlockBytes = 4 * 1024 * 1024;

    /// <summary>
    /// What a block of the default size usually reads of the compressed file: its nominal bytes and the rest of the
    /// member it ends in (a source that fetches in ranges asks for this much at a time).
    /// </summary>
    public const int BlockReadBytes = DefaultBlockBytes + (DefaultBlockBytes / 4);

    /// <summary>Below this (compressed), a file is inflated by one <see cref="GzipMemberStream"/>: too few blocks to gain.</summary>
    public const long MinimumCompressedBytes = 16L * 1024 * 1024;

    /// <summary>Decompressed bytes per handed-over chunk: few channel operations per MB.</summary>
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>Chunks a block may hold ahead of the reader (a 4 MB block of WARC text inflates to ~20 MB).</summary>
    public const int ChunksPerBlock = 48;

    /// <summary>Compressed bytes a candidate must inflate without error (or end its member) to count as a member start.</summary>
    internal const int VerifyBytes = 64 * 1024;

    private readonly Func<long, CancellationToken, ValueTask<Stream>> _openAt;
    private readonly long _origin;
    private readonly long _end;
    private readonly int _blockBytes;
    private readonly int _window;
    private readonly long _blockCount;
    private readonly CancellationTokenSource _disposing = new();
    private readonly ParallelGzipBuffers _buffers;

    /// <summary>Blocks dispatched and not yet consumed, in index order; the first is the one being read.</summary>
    private readonly List<Block> _blocks = [];

    private Stream? _firstSource;
    private Block? _head;
    private byte[]? _chunk;
    private int _chunkPosition;
    private int _chunkLength;
    private long _headBase;
    private long _position;
    private long _compressedDone;
    private long _nextIndex;
    private bool _ended;
    private bool _disposed;

    /// <param name="openAt">Opens the compressed file for sequential reading from an absolute offset (a seek, a ranged GET).</param>
    /// <param name="compressedOffset">Where decoding starts: a member start (0, or a resumed task's member start).</param>
    /// <param name="compressedLength">The compressed file's total length.</param>
    /// <param name="decompressedOffset">Absolute decompressed offset of the member at <paramref name="compressedOffset"/>.</param>
    /// <param name="firstSource">Optional: a stream already positioned at <paramref name="compressedOffset"/> for the first block (owned).</param>
    /// <param name="memberHistory">How many member starts <see cref="Members"/> keeps at most.</param>
    /// <param name="blockBytes">Nominal compressed bytes per block.</param>
    /// <param name="workers">Blocks inflated ahead of the reader at once (besides the one being read).</param>
    /// <param name="buffers">Where chunks and windows come from (tests pass their own); the process-wide ones by default.</param>
    public ParallelGzipStream(Func<long, CancellationToken, ValueTask<Stream>> openAt, long compressedOffset, long compressedLength,
        long decompressedOffset = 0, Stream? firstSource = null, int memberHistory = GzipMemberMap.DefaultCapacity,
        int blockBytes = DefaultBlockBytes, int? workers = null, ParallelGzipBuffers? buffers = null)
    {
        ArgumentNullException.ThrowIfNull(openAt);
        ArgumentOutOfRangeException.ThrowIfNegative(compressedOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(compressedLength, compressedOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 1024);
        _openAt = openAt;
        _origin = compressedOffset;
        _end = compressedLength;
        _blockBytes = blockBytes;
        _window = Math.Max(1, workers ?? Environment.ProcessorCount) + 1;
        _blockCount = Math.Max(1, (compressedLength - compressedOffset + blockBytes - 1) / blockBytes);
        _firstSource = firstSource;
        _position = decompressedOffset;
        _headBase = decompressedOffset;
        Members = new GzipMemberMap(memberHistory);
        _buffers = buffers ?? ParallelGzipBuffers.For(blockBytes);
        if (_buffers.Windows.BufferBytes < blockBytes + VerifyBytes)
        {
            throw new ArgumentException($"windows of {_buffers.Windows.BufferBytes} bytes cannot hold a block of {blockBytes}", nameof(buffers));
        }
    }

    /// <summary>The member starts the reader has reached (the most recent ones), for checkpoints.</summary>
    public GzipMemberMap Members { get; }

    /// <summary>Absolute decompressed offset of the next byte this stream returns.</summary>
    public long DecompressedPosition => Volatile.Read(ref _position);

    /// <summary>Compressed bytes of the blocks read so far (the file's compressed size once read to the end).</summary>
    public long CompressedBytesRead => Volatile.Read(ref _compressedDone);

    /// <summary>Blocks handed out so far (tests: the file really was split).</summary>
    internal int BlocksRead { get; private set; }

    /// <summary>Blocks decoded again from a proven boundary because the candidate start was false or missing.</summary>
    internal int BlocksRedone { get; private set; }

    public override bool CanRead => !_disposed;

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int read;
        while (!TryReadReady(buffer, out read))
        {
            // Blocking here is the synchronous caller's choice; the workers run on pool threads and never wait for it.
            NextChunkAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int read;
        while (!TryReadReady(buffer.Span, out read))
        {
            await NextChunkAsync(cancellationToken).ConfigureAwait(false);
        }

        return read;
    }

    /// <summary>
    /// Serves <paramref name="buffer"/> from what is ready without waiting: the current chunk, the current block's next
    /// chunk, or the end (0). False when the next chunk is not there yet: <see cref="NextChunkAsync"/> waits for it.
    /// </summary>
    private bool TryReadReady(Span<byte> buffer, out int read)
    {
        while (true)
        {
            if (_chunkPosition < _chunkLength || buffer.IsEmpty)
            {
                read = CopyOut(buffer);
                return true;
            }

            if (!TryTakeChunk())
            {
                read = 0;
                return _ended;
            }
        }
    }

    private int CopyOut(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _chunkLength - _chunkPosition);
        if (count > 0)
        {
            _chunk.AsSpan(_chunkPosition, count).CopyTo(buffer);
            _chunkPosition += count;
            Volatile.Write(ref _position, _position + count);
        }

        return count;
    }

    /// <summary>The next chunk of the current block if one is ready (false at the end too: <see cref="_ended"/> tells).</summary>
    private bool TryTakeChunk()
    {
        ReleaseChunk();
        if (_head is null)
        {
            return false;
        }

        if (!_head.Output.Reader.TryRead(out var chunk))
        {
            return false;
        }

        Take(chunk);
        return true;
    }

    /// <summary>Waits for the current block's next chunk, or moves on to the next block when it is done.</summary>
    private async ValueTask NextChunkAsync(CancellationToken cancellationToken)
    {
        if (_head is null)
        {
            await StartAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var head = _head;
        bool more;
        try
        {
            more = await head.Output.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (head.Failure is not null)
        {
            more = false;
        }

        if (more)
        {
            return;
        }

        // Every good chunk of the block was handed out: its failure (a proven start, so a real one) surfaces now.
        if (head.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        await AdvanceAsync(head, cancellationToken).ConfigureAwait(false);
    }

    private void Take(Chunk chunk)
    {
        if (chunk.Members is { } members)
        {
            foreach (var member in members)
            {
                Members.Add(new GzipMemberStart(member.CompressedOffset, member.DecompressedOffset + _headBase));
            }
        }

        _chunk = chunk.Buffer;
        _chunkPosition = 0;
        _chunkLength = chunk.Length;
    }

    private void ReleaseChunk()
    {
        if (_chunk is { } chunk)
        {
            _chunk = null;
            _chunkPosition = _chunkLength = 0;
            _buffers.Chunks.Return(chunk);
        }
    }

    private long NominalStart(long index) => _origin + (index * _blockBytes);

    private long StopAt(long index) => index >= _blockCount - 1 ? long.MaxValue : NominalStart(index + 1);

    private ValueTask StartAsync(CancellationToken cancellationToken)
    {
        var first = Dispatch(0, _origin, _firstSource);
        _firstSource = null;
        _head = first;
        TopUp();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// The current block ended at a proven member boundary (or the end of the file): the block starting exactly there is
    /// next — the one dispatched for it if its candidate start matches, a fresh one from the boundary otherwise.
    /// </summary>
    private async ValueTask AdvanceAsync(Block finished, CancellationToken cancellationToken)
    {
        var boundary = finished.End;
        var index = (boundary - _origin) / _blockBytes;
        Block? candidate = null;
        if (!finished.AtEnd)
        {
            foreach (var block in _blocks)
            {
                candidate = block.Index == index ? block : candidate;
            }

            // Waited for before any state changes, so that a cancelled read can simply be retried.
            if (candidate is not null)
            {
                try
                {
                    await candidate.Start.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // A speculative block that failed to find its start (an I/O error, say) is simply decoded again.
                }
            }
        }

        // The blocks read form a chain from _origin: each started exactly where the one before ended.
        Volatile.Write(ref _compressedDone, finished.End - _origin);
        BlocksRead++;
        _blocks.Remove(finished);
        finished.Cancel.Dispose();
        _headBase = _position;
        if (finished.AtEnd)
        {
            _ended = true;
            _head = null;
            DiscardAll();
            return;
        }

        Block? next = null;
        foreach (var block in _blocks.ToArray())
        {
            if (block == candidate && block.Start.Task.IsCompletedSuccessfully && block.Start.Task.Result == boundary)
            {
                next = block;
            }
            else if (block.Index <= index)
            {
                Discard(block);
            }
        }

        if (next is null)
        {
            BlocksRedone++;
            next = Dispatch(index, boundary, null);
            // Keep index order: the fresh block goes before any block dispatched further ahead.
            _blocks.Remove(next);
            _blocks.Insert(0, next);
        }

        _head = next;
        _nextIndex = Math.Max(_nextIndex, index + 1);
        TopUp();
    }

    /// <summary>Keeps <see cref="_window"/> blocks in flight from the current one on.</summary>
    private void TopUp()
    {
        while (_blocks.Count < _window && _nextIndex < _blockCount)
        {
            Dispatch(_nextIndex, -1, null);
        }
    }

    private Block Dispatch(long index, long knownStart, Stream? source)
    {
        var block = new Block(index, NominalStart(index), StopAt(index), knownStart,
            CancellationTokenSource.CreateLinkedTokenSource(_disposing.Token), _buffers.Chunks);
        _blocks.Add(block);
        _nextIndex = Math.Max(_nextIndex, index + 1);
        block.Worker = Task.Run(() => RunAsync(block, source));
        return block;
    }

    private void Discard(Block block)
    {
        _blocks.Remove(block);
        block.Cancel.Cancel();
        // Chunks it already made go back to the pool once it has stopped writing.
        _ = block.Worker!.ContinueWith(static (_, state) => ((Block)state!).Drain(), block, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void DiscardAll()
    {
        foreach (var block in _blocks.ToArray())
        {
            Discard(block);
        }
    }

    /// <summary>One block's worker: finds its start (unless known), then inflates up to the first boundary past its end.</summary>
    private async Task RunAsync(Block block, Stream? source)
    {
        var cancellationToken = block.Cancel.Token;
        Stream? input = source;
        try
        {
            long start;
            if (block.KnownStart >= 0)
            {
                input ??= await _openAt(block.KnownStart, cancellationToken).ConfigureAwait(false);
                start = block.KnownStart;
            }
            else
            {
                (input, start) = await FindStartAsync(block, cancellationToken).ConfigureAwait(false);
                block.Start.TrySetResult(start);
                if (input is null)
                {
                    block.Output.Writer.TryComplete();
                    return;
                }
            }

            block.Start.TrySetResult(start);
            // Every member start goes out with its chunk (to Members as the reader reaches it), none into the
            // decoder's own map: hence the smallest one.
            var members = new List<GzipMemberStart>();
            var gzip = new GzipMemberStream(input, start, 0, leaveOpen: false, memberHistory: 1)
            {
                StopAtMemberFrom = block.StopAt,
                MemberStarted = members.Add,
            };
            input = null;
            await using (gzip.ConfigureAwait(false))
            {
                while (true)
                {
                    var buffer = _buffers.Chunks.Rent();
                    var filled = 0;
                    Exception? failure = null;
                    try
                    {
                        while (filled < buffer.Length)
                        {
                            var read = await gzip.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                            if (read == 0)
                            {
                                break;
                            }

                            filled += read;
                        }
                    }
                    catch (InvalidDataException exception)
                    {
                        // The good bytes before the damage still go out first.
                        failure = exception;
                    }

                    var last = filled < buffer.Length;
                    if (filled > 0 || members.Count > 0)
                    {
                        var chunk = new Chunk(buffer, filled, members.Count > 0 ? members.ToArray() : null);
                        members.Clear();
                        try
                        {
                            await block.Output.Writer.WriteAsync(chunk, cancellationToken).ConfigureAwait(false);
                        }
                        catch
                        {
                            _buffers.Chunks.Return(buffer);
                            throw;
                        }
                    }
                    else
                    {
                        _buffers.Chunks.Return(buffer);
                    }

                    if (failure is not null)
                    {
                        ExceptionDispatchInfo.Throw(failure);
                    }

                    if (last)
                    {
                        break;
                    }
                }

                block.End = gzip.CompressedPosition;
                block.AtEnd = !gzip.StoppedBeforeMember;
            }

            block.Output.Writer.TryComplete();
        }
        catch (Exception exception)
        {
            block.Failure = exception;
            block.Start.TrySetException(exception);
            block.Output.Writer.TryComplete(exception);
        }
        finally
        {
            if (input is not null)
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Reads the block's nominal range (plus enough to verify a candidate near its end) and returns the first candidate
    /// member start in it, with a stream that yields the file from there on; or no stream when the range holds none.
    /// </summary>
    private async Task<(Stream? Input, long Start)> FindStartAsync(Block block, CancellationToken cancellationToken)
    {
        var source = await _openAt(block.Nominal, cancellationToken).ConfigureAwait(false);
        byte[]? window = null;
        try
        {
            var windowEnd = Math.Min(_end, Math.Min(block.StopAt, _end) + VerifyBytes);
            var length = (int)(windowEnd - block.Nominal);
            // At most a block and its verify bytes (the last block ends at the file's end): one pooled size fits all.
            window = _buffers.Windows.Rent();
            var got = await source.ReadAtLeastAsync(window.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken)
                .ConfigureAwait(false);
            var scanEnd = (int)Math.Min(got, Math.Min(block.StopAt, _end) - block.Nominal);
            for (var at = 0; at < scanEnd; at++)
            {
                var found = window.AsSpan(at, scanEnd - at).IndexOf(GzipMemberStream.Magic[0]);
                if (found < 0)
                {
                    break;
                }

                at += found;
                if (LooksLikeHeader(window.AsSpan(at, got - at)) && InflatesCleanly(window, at, got, block.Nominal + at))
                {
                    var input = new CountingPrefixedStream(window, at, got, source, _buffers.Windows.Return);
                    window = null;
                    return (input, block.Nominal + at);
                }
            }

            await source.DisposeAsync().ConfigureAwait(false);
            return (null, -1);
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            if (window is not null)
            {
                _buffers.Windows.Return(window);
            }
        }
    }

    /// <summary>Magic, deflate method, no reserved flag bits: the fixed part of every gzip member header (RFC 1952).</summary>
    private static bool LooksLikeHeader(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 10 && bytes.StartsWith(GzipMemberStream.Magic) && bytes[2] == 8 && (bytes[3] & 0xe0) == 0;

    /// <summary>
    /// Whether a member inflated from <paramref name="at"/> ends cleanly or runs <see cref="VerifyBytes"/> without error:
    /// weeds out nearly all false candidates cheaply (the block chain catches the rest).
    /// </summary>
    private static bool InflatesCleanly(byte[] window, int at, int length, long offset)
    {
        var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var gzip = new GzipMemberStream(new MemoryStream(window, at, length - at, writable: false), offset, 0,
                memberHistory: 1, inputBufferBytes: 16 * 1024)
            {
                StopAtMemberFrom = offset + 1,
            };
            while (gzip.Read(scratch) > 0)
            {
                if (gzip.CompressedPosition - offset >= VerifyBytes)
                {
                    return true;
                }
            }

            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _disposing.Cancel();
            DiscardAll();
            _head = null;
            ReleaseChunk();
            _firstSource?.Dispose();
            _firstSource = null;
        }

        base.Dispose(disposing);
    }

    private readonly record struct Chunk(byte[] Buffer, int Length, GzipMemberStart[]? Members);

    private sealed class Block(long index, long nominal, long stopAt, long knownStart, CancellationTokenSource cancel, FixedSizeBufferPool chunks)
    {
        public long Index { get; } = index;
        public long Nominal { get; } = nominal;
        public long StopAt { get; } = stopAt;

        /// <summary>A proven member start to decode from, or -1: find a candidate from <see cref="Nominal"/>.</summary>
        public long KnownStart { get; } = knownStart;

        public CancellationTokenSource Cancel { get; } = cancel;

        /// <summary>Where decoding started (-1: no candidate in the range).</summary>
        public TaskCompletionSource<long> Start { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Channel<Chunk> Output { get; } = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(ChunksPerBlock)
        {
            SingleReader = true,
            SingleWriter = true,
        });

        public Task? Worker { get; set; }

        /// <summary>The member boundary (or end of the file) where decoding stopped; set before the output completes.</summary>
        public long End { get; set; }

        public bool AtEnd { get; set; }
        public Exception? Failure { get; set; }

        public void Drain()
        {
            Output.Writer.TryComplete();
            while (Output.Reader.TryRead(out var chunk))
            {
                chunks.Return(chunk.Buffer);
            }

            Cancel.Dispose();
        }
    }
}

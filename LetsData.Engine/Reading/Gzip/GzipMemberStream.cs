using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace LetsData.Runtime.Reading.Gzip;

/// <summary>
/// Inflates single- or multi-member gzip (Common Crawl writes one member per WARC record) — each member whole through
/// <see cref="WholeMemberDecoder"/> (libdeflate) when the system has it and the member fits the buffers, otherwise
/// streamed through the runtime's own native zlib — and records where each member starts in both the compressed and the decompressed bytes
/// (<see cref="Members"/>): a crash-resume checkpoint restarts decompression at such a member start with a ranged read.
/// GZipStream cannot tell: it reads ahead into its own buffer and hides the member boundaries.
/// <para>
/// Positions are absolute: a stream opened on a ranged read that starts at a member start is constructed with that
/// start's offsets, and reports offsets of the whole file from there on.
/// </para>
/// <para>
/// Concatenated members are read one after another (legal gzip). After the last member the input must end, or hold
/// only zero bytes (padding, which gzip(1) also ignores); anything else fails with an <see cref="InvalidDataException"/>
/// naming the compressed offset — GZipStream stops silently there, which would turn a damaged member header in the
/// middle of a file into a quietly shorter file. A member cut short fails as truncated, naming the member's compressed
/// offset and where the input ended.
/// </para>
/// Not thread-safe itself (one reader); <see cref="Members"/>, <see cref="DecompressedPosition"/> and
/// <see cref="CompressedPosition"/> may be read from any thread while another inflates.
/// </summary>
internal sealed class GzipMemberStream : ReadOnlyForwardStream
{
    /// <summary>
    /// Compressed bytes per read from the source. Each native call then inflates up to the caller's whole buffer
    /// (the read-ahead chunk or the scanner's buffer), so calls per MB stay few without holding much memory; a member
    /// up to this size can be decoded whole.
    /// </summary>
    public const int DefaultInputBufferBytes = 256 * 1024;

    /// <summary>
    /// Output room below which a whole member is decoded into the stream's own staging buffer and copied out from there,
    /// rather than straight into the caller's buffer (where a member larger than the room would be decoded in vain).
    /// The room must also hold the largest member decoded so far: a caller filling a buffer read by read meets a room a
    /// little smaller than a member once per buffer, and the failed attempt cost a whole decode of that room.
    /// </summary>
    internal const int MinimumDirectOutputBytes = 64 * 1024;

    /// <summary>The staging buffer's size: larger members are streamed through zlib when they do not fit the caller's room.</summary>
    internal const int StagingBytes = 1024 * 1024;

    /// <summary>The two bytes every gzip member starts with (RFC 1952).</summary>
    internal static ReadOnlySpan<byte> Magic => [0x1f, 0x8b];

    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private readonly InflaterHandle _inflater;
    private readonly WholeMemberDecoder? _wholeMembers;
    private byte[]? _input;
    private byte[]? _staging;
    private int _stagedStart;
    private int _stagedEnd;
    private int _largestMember;
    private int _inputStart;
    private int _inputEnd;

    /// <summary>Absolute compressed offset of <c>_input[0]</c>.</summary>
    private long _inputBase;

    private long _decompressed;
    private long _consumed;
    private long _memberStart;
    private State _state = State.BetweenMembers;
    private bool _resetNeeded;
    private bool _outputFull;
    private bool _sourceEnded;
    private bool _anyMember;

    /// <summary>The input buffer was refilled once already for the member at its start.</summary>
    private bool _refilledForMember;

    /// <summary>The next read moves the unread input to the buffer's start first, however little was used.</summary>
    private bool _compactInput;

    /// <summary>A failure met after this read's first bytes: thrown by the next read.</summary>
    private ExceptionDispatchInfo? _pendingFailure;

    /// <param name="compressed">The gzip bytes, positioned at <paramref name="compressedOffset"/> (a member start).</param>
    /// <param name="compressedOffset">Absolute offset in the compressed file where <paramref name="compressed"/> starts (0 for a whole file).</param>
    /// <param name="decompressedOffset">Absolute decompressed offset of the first member's first byte (0 for a whole file).</param>
    /// <param name="leaveOpen">Leave <paramref name="compressed"/> open when this stream is disposed.</param>
    /// <param name="memberHistory">How many member starts <see cref="Members"/> keeps at most.</param>
    /// <param name="inputBufferBytes">Compressed bytes read from the source at a time.</param>
    /// <param name="wholeMembers">Decode members whole through libdeflate when the system has it (false: zlib only).</param>
    public GzipMemberStream(Stream compressed, long compressedOffset = 0, long decompressedOffset = 0, bool leaveOpen = false,
        int memberHistory = GzipMemberMap.DefaultCapacity, int inputBufferBytes = DefaultInputBufferBytes, bool wholeMembers = true)
    {
        ArgumentNullException.ThrowIfNull(compressed);
        ArgumentOutOfRangeException.ThrowIfNegative(compressedOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(decompressedOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputBufferBytes, 2);
        _source = compressed;
        _leaveOpen = leaveOpen;
        _inputBase = compressedOffset;
        _consumed = compressedOffset;
        _decompressed = decompressedOffset;
        Members = new GzipMemberMap(memberHistory);
        _inflater = InflaterHandle.Create();
        _wholeMembers = wholeMembers ? WholeMemberDecoder.TryCreate() : null;
        _input = ArrayPool<byte>.Shared.Rent(inputBufferBytes);
    }

    /// <summary>Whether this stream decodes members whole (libdeflate found and not turned off).</summary>
    internal bool DecodesWholeMembers => _wholeMembers is not null;

    /// <summary>Members decoded whole so far (the rest were streamed through zlib).</summary>
    internal long MembersDecodedWhole { get; private set; }

    /// <summary>Members decoded in vain straight into a caller's buffer that turned out too small for them.</summary>
    internal long DirectDecodesTooSmall { get; private set; }

    private enum State
    {
        /// <summary>At a member boundary (or the very start): a gzip header, zero padding or the end comes next.</summary>
        BetweenMembers,
        InMember,
        /// <summary>Zero bytes after the last member: the rest of the input must be zeros too.</summary>
        ZeroPadding,
        Ended,
    }

    private enum Step
    {
        Output,
        NeedInput,
        End,
    }

    /// <summary>
    /// The member starts met so far (the most recent ones), for checkpoints; empty when <see cref="MemberStarted"/>
    /// takes them.
    /// </summary>
    public GzipMemberMap Members { get; }

    /// <summary>
    /// End the stream before a member that starts at or after this compressed offset (never before the first member):
    /// <see cref="ParallelGzipStream"/> decodes one block of the file up to the first member boundary past its nominal end.
    /// </summary>
    internal long StopAtMemberFrom { get; init; } = long.MaxValue;

    /// <summary>
    /// Takes every member start in place of <see cref="Members"/> (which keeps only the recent ones; a block decoder needs
    /// them all, and hands them to its own map).
    /// </summary>
    internal Action<GzipMemberStart>? MemberStarted { get; init; }

    /// <summary>True when the stream ended at <see cref="StopAtMemberFrom"/>, before a member (not at the end of the input).</summary>
    internal bool StoppedBeforeMember { get; private set; }

    /// <summary>Absolute decompressed offset of the next byte this stream returns.</summary>
    public long DecompressedPosition => Volatile.Read(ref _decompressed);

    /// <summary>Absolute compressed offset of the first input byte not yet inflated.</summary>
    public long CompressedPosition => Volatile.Read(ref _consumed);

    public override bool CanRead => _input is not null;

    public override int Read(Span<byte> buffer)
    {
        var input = _input;
        ObjectDisposedException.ThrowIf(input is null, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var step = Inflate(buffer, out var produced);
            if (step != Step.NeedInput)
            {
                return produced;
            }

            MakeRoomForInput(input);
            InputArrived(_source.Read(input, _inputEnd, input.Length - _inputEnd));
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    /// <summary>Reads the compressed input asynchronously (the read-ahead stage runs this on a pool thread).</summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var input = _input;
        ObjectDisposedException.ThrowIf(input is null, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (true)
        {
            var step = Inflate(buffer.Span, out var produced);
            if (step != Step.NeedInput)
            {
                return produced;
            }

            MakeRoomForInput(input);
            InputArrived(await _source.ReadAsync(input.AsMemory(_inputEnd, input.Length - _inputEnd), cancellationToken)
                .ConfigureAwait(false));
        }
    }

    /// <summary>
    /// Inflates what the input buffer holds into <paramref name="output"/>, crossing member boundaries. Returns
    /// <see cref="Step.Output"/> once bytes were produced and no more come without input (or the output is full),
    /// <see cref="Step.NeedInput"/> when the input buffer is used up, <see cref="Step.End"/> at the (valid) end.
    /// </summary>
    private Step Inflate(Span<byte> output, out int produced)
    {
        if (_pendingFailure is { } pending)
        {
            _pendingFailure = null;
            pending.Throw();
        }

        produced = 0;
        try
        {
            return InflateInto(output, ref produced);
        }
        catch (InvalidDataException failure) when (produced > 0)
        {
            // Every good byte goes out before the damage is reported: on the next read.
            _pendingFailure = ExceptionDispatchInfo.Capture(failure);
            return Step.Output;
        }
    }

    private Step InflateInto(Span<byte> output, ref int produced)
    {
        while (true)
        {
            if (_stagedStart < _stagedEnd)
            {
                produced += CopyStaged(output[produced..]);
            }

            if (produced == output.Length)
            {
                return Step.Output;
            }

            var available = _inputEnd - _inputStart;
            switch (_state)
            {
                case State.Ended:
                    return produced > 0 ? Step.Output : Step.End;

                case State.ZeroPadding:
                    var nonZero = _input.AsSpan(_inputStart, available).IndexOfAnyExcept((byte)0);
                    if (nonZero >= 0)
                    {
                        throw TrailingGarbage(_inputBase + _inputStart + nonZero);
                    }

                    Consume(available);
                    if (!_sourceEnded)
                    {
                        return produced > 0 ? Step.Output : Step.NeedInput;
                    }

                    _state = State.Ended;
                    continue;

                case State.BetweenMembers:
                    // Two bytes decide: a gzip header, zero padding, or garbage.
                    if (available < 2 && !_sourceEnded)
                    {
                        return produced > 0 ? Step.Output : Step.NeedInput;
                    }

                    if (available == 0)
                    {
                        _state = State.Ended;
                        continue;
                    }

                    var input = _input!;
                    if (input[_inputStart] != Magic[0] || (available > 1 && input[_inputStart + 1] != Magic[1]))
                    {
                        if (!_anyMember)
                        {
                            throw new InvalidDataException(
                                $"no gzip member starts at compressed offset {_inputBase + _inputStart} (expected the gzip magic bytes 1f 8b)");
                        }

                        if (input[_inputStart] != 0)
                        {
                            throw TrailingGarbage(_inputBase + _inputStart);
                        }

                        _state = State.ZeroPadding;
                        continue;
                    }

                    if (_anyMember && _inputBase + _inputStart >= StopAtMemberFrom)
                    {
                        StoppedBeforeMember = true;
                        _state = State.Ended;
                        continue;
                    }

                    if (_wholeMembers is not null)
                    {
                        switch (DecodeWholeMember(output[produced..], out var made))
                        {
                            case WholeMember.Decoded:
                                produced += made;
                                continue;
                            case WholeMember.NeedsInput:
                                return produced > 0 ? Step.Output : Step.NeedInput;
                        }
                    }

                    // The member goes through zlib (no whole-member decoder, or it could not take the member).
                    _refilledForMember = false;
                    StartMember();
                    continue;

                case State.InMember:
                    // A call that filled the output may have more to give without input (the rest of a match, the
                    // bits it holds): only a call that left output room has used up what it was given.
                    if (available == 0 && !_outputFull)
                    {
                        if (_sourceEnded)
                        {
                            throw new InvalidDataException($"truncated gzip data: the member starting at compressed offset {_memberStart} "
                                + $"is cut off at compressed offset {_inputBase + _inputEnd}, where the input ends");
                        }

                        return produced > 0 ? Step.Output : Step.NeedInput;
                    }

                    var room = output[produced..];
                    var code = InflateCall(room, available, out var consumed, out var inflated);
                    Consume(consumed);
                    _outputFull = inflated == room.Length;
                    if (inflated > 0)
                    {
                        produced += inflated;
                        Volatile.Write(ref _decompressed, _decompressed + inflated);
                    }

                    switch (code)
                    {
                        case ZlibInterop.StreamEnd:
                            // The trailer (CRC-32 and size) checked out; the next member, if any, is fed on the same state.
                            _state = State.BetweenMembers;
                            _resetNeeded = true;
                            _outputFull = false;
                            break;
                        case ZlibInterop.Ok:
                        case ZlibInterop.BufError:
                            // inflate() stops only when the input or the output is used up: no output means no input left.
                            if (inflated == 0 && consumed == 0 && available > 0)
                            {
                                throw new InvalidDataException($"corrupt gzip data: inflate made no progress in the member "
                                    + $"starting at compressed offset {_memberStart} (at compressed offset {CompressedPosition})");
                            }

                            break;
                        case ZlibInterop.DataError:
                            throw new InvalidDataException($"corrupt gzip data in the member starting at compressed offset {_memberStart}: "
                                + $"{ZlibMessage(code)} (detected at compressed offset {CompressedPosition})");
                        case ZlibInterop.MemError:
                            throw new OutOfMemoryException($"zlib inflate: {ZlibMessage(code)}");
                        default:
                            throw new InvalidOperationException($"zlib inflate failed: {ZlibMessage(code)}");
                    }

                    if (produced > 0)
                    {
                        return Step.Output;
                    }

                    continue;

                default:
                    throw new InvalidOperationException($"unknown state {_state}");
            }
        }
    }

    private enum WholeMember
    {
        /// <summary>The member was decoded (into the output, or into the staging buffer to be copied out).</summary>
        Decoded,

        /// <summary>The member may run past the buffered input: read more first, then try again.</summary>
        NeedsInput,

        /// <summary>Stream this member through zlib (too large for the buffers, or damaged: zlib names the damage).</summary>
        Stream,
    }

    /// <summary>Decodes the member at the input's current position whole, straight into <paramref name="output"/> when the room is large.</summary>
    private WholeMember DecodeWholeMember(Span<byte> output, out int produced)
    {
        produced = 0;
        var input = _input.AsSpan(_inputStart, _inputEnd - _inputStart);
        var outcome = WholeMemberDecoder.Outcome.OutputTooSmall;
        int consumed;
        if (output.Length >= Math.Max(MinimumDirectOutputBytes, _largestMember))
        {
            outcome = _wholeMembers!.Decode(input, output, out consumed, out produced);
            if (outcome == WholeMemberDecoder.Outcome.Decoded)
            {
                MemberDecoded(consumed, produced);
                Volatile.Write(ref _decompressed, _decompressed + produced);
                return WholeMember.Decoded;
            }

            if (outcome == WholeMemberDecoder.Outcome.OutputTooSmall)
            {
                DirectDecodesTooSmall++;
            }
        }

        if (outcome == WholeMemberDecoder.Outcome.OutputTooSmall)
        {
            _staging ??= ArrayPool<byte>.Shared.Rent(StagingBytes);
            outcome = _wholeMembers!.Decode(input, _staging, out consumed, out var staged);
            if (outcome == WholeMemberDecoder.Outcome.Decoded)
            {
                // Copied out (and counted in the decompressed position) as the caller reads.
                MemberDecoded(consumed, staged);
                _stagedStart = 0;
                _stagedEnd = staged;
                return WholeMember.Decoded;
            }
        }

        if (outcome == WholeMemberDecoder.Outcome.NotWhole && !_sourceEnded && !_refilledForMember
            && (_inputStart > 0 || _inputEnd < _input!.Length))
        {
            _compactInput = true;
            return WholeMember.NeedsInput;
        }

        return WholeMember.Stream;
    }

    /// <summary>A member decoded whole: its start recorded like a streamed one's, its compressed bytes consumed.</summary>
    private void MemberDecoded(int consumed, int produced)
    {
        MembersDecodedWhole++;
        _largestMember = Math.Max(_largestMember, produced);
        _refilledForMember = false;
        RecordMemberStart();
        Consume(consumed);
    }

    private int CopyStaged(Span<byte> output)
    {
        var count = Math.Min(output.Length, _stagedEnd - _stagedStart);
        _staging.AsSpan(_stagedStart, count).CopyTo(output);
        _stagedStart += count;
        Volatile.Write(ref _decompressed, _decompressed + count);
        return count;
    }

    private unsafe int InflateCall(Span<byte> output, int available, out int consumed, out int produced)
    {
        var z = _inflater.Stream;
        // The output is capped to what avail_out (32 bits) can describe; callers never pass more in practice.
        var room = (uint)Math.Min(output.Length, int.MaxValue);
        int code;
        fixed (byte* inputPointer = _input.AsSpan(_inputStart, available))
        fixed (byte* outputPointer = &MemoryMarshal.GetReference(output))
        {
            z->NextIn = inputPointer;
            z->AvailIn = (uint)available;
            z->NextOut = outputPointer;
            z->AvailOut = room;
            code = ZlibInterop.Inflate(z, ZlibInterop.NoFlush);
            consumed = available - (int)z->AvailIn;
            produced = (int)(room - z->AvailOut);
            // The pins end here: leave no pointer into managed memory behind.
            z->NextIn = null;
            z->NextOut = null;
            z->AvailIn = 0;
            z->AvailOut = 0;
        }

        return code;
    }

    private unsafe int ResetCall() => ZlibInterop.InflateReset2(_inflater.Stream, ZlibInterop.GzipWindowBits);

    private unsafe string ZlibMessage(int code) => ZlibInterop.Describe(_inflater.Stream, code);

    private void StartMember()
    {
        if (_resetNeeded)
        {
            var code = ResetCall();
            if (code != ZlibInterop.Ok)
            {
                throw new InvalidOperationException($"zlib inflateReset2 failed: {ZlibMessage(code)}");
            }

            _resetNeeded = false;
        }

        RecordMemberStart();
        _state = State.InMember;
    }

    private void RecordMemberStart()
    {
        _memberStart = _inputBase + _inputStart;
        _anyMember = true;
        var start = new GzipMemberStart(_memberStart, _decompressed);
        if (MemberStarted is { } memberStarted)
        {
            memberStarted(start);
        }
        else
        {
            Members.Add(start);
        }
    }

    private void Consume(int bytes)
    {
        _inputStart += bytes;
        Volatile.Write(ref _consumed, _inputBase + _inputStart);
    }

    /// <summary>
    /// Frees the input buffer's tail for the next read, keeping unread bytes (at a member boundary: at most one, or the
    /// start of a member to be decoded whole).
    /// </summary>
    private void MakeRoomForInput(byte[] input)
    {
        if (_inputStart == _inputEnd || _inputEnd == input.Length || _compactInput)
        {
            // Once per member: a member still not whole after this read is streamed.
            _refilledForMember = _compactInput;
            _compactInput = false;
            var unread = _inputEnd - _inputStart;
            input.AsSpan(_inputStart, unread).CopyTo(input);
            _inputBase += _inputStart;
            _inputStart = 0;
            _inputEnd = unread;
        }
    }

    private void InputArrived(int read)
    {
        if (read <= 0)
        {
            _sourceEnded = true;
        }
        else
        {
            _inputEnd += read;
        }
    }

    private static InvalidDataException TrailingGarbage(long offset) =>
        new($"unexpected bytes after the last gzip member at compressed offset {offset}: neither another member "
            + "(gzip magic 1f 8b) nor zero padding");

    private void ReleaseBuffers(byte[] input)
    {
        _inflater.Dispose();
        _wholeMembers?.Dispose();
        ArrayPool<byte>.Shared.Return(input);
        if (_staging is { } staging)
        {
            _staging = null;
            ArrayPool<byte>.Shared.Return(staging);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _input is { } input)
        {
            _input = null;
            ReleaseBuffers(input);
            if (!_leaveOpen)
            {
                _source.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_input is { } input)
        {
            _input = null;
            ReleaseBuffers(input);
            if (!_leaveOpen)
            {
                await _source.DisposeAsync().ConfigureAwait(false);
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }
}

using System.Buffers;
using LetsData.Interfaces.Readers;

namespace LetsData.Runtime.Reading;

/// <summary>
/// Cuts records out of a decompressed byte stream with start/end hints, as the contract defines: the start hint is
/// searched from the cursor, the end hint from just after the start pattern; the record is [start, end); the cursor
/// moves to the end pattern (which may be the next record's start) — past it after a positional start, where it is the
/// record's terminator; end of file ends the last record. Works over one
/// pooled buffer that grows for records larger than it, up to a ceiling.
/// </summary>
internal sealed class RecordScanner : IDisposable
{
    public const int DefaultBufferBytes = 1 << 20;
    public const int DefaultMaxRecordBytes = 256 << 20;

    private readonly Stream _input;
    private readonly string _fileName;
    private readonly int _maxRecordBytes;
    private byte[] _buffer;
    private int _cursor;        // index in _buffer of the next unread byte
    private int _end;           // bytes [0, _end) of _buffer hold data
    private long _bufferOffset; // file offset of _buffer[0]
    private bool _eof;
    private long _blankRecords; // passed over since the last TakeBlankRecords

    /// <param name="input">The decoded data, positioned at <paramref name="startOffset"/>.</param>
    /// <param name="fileName">The file, for messages.</param>
    /// <param name="maxRecordBytes">The record size ceiling.</param>
    /// <param name="initialBufferBytes">The buffer's first size.</param>
    /// <param name="startOffset">The file offset <paramref name="input"/> starts at (a resumed task); offsets stay those of the whole file.</param>
    public RecordScanner(Stream input, string fileName, int maxRecordBytes = DefaultMaxRecordBytes,
        int initialBufferBytes = DefaultBufferBytes, long startOffset = 0)
    {
        _bufferOffset = startOffset;
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRecordBytes, 1);
        _input = input;
        _fileName = fileName;
        _maxRecordBytes = maxRecordBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Clamp(initialBufferBytes, 16, Math.Max(16, maxRecordBytes)));
    }

    /// <summary>Offset in the decompressed file of the cursor: where the next record search starts.</summary>
    public long Position => _bufferOffset + _cursor;

    /// <summary>Records returned so far.</summary>
    public long RecordsFound { get; private set; }

    /// <summary>
    /// The start hint whose search found nothing more: set once the scan reached the end of the input (null before).
    /// What a file that held no record was searched for.
    /// </summary>
    public RecordParseHint? EndedSearchingFor { get; private set; }

    /// <summary>Empty records before a terminator (blank lines) passed over since the last call; the count starts again.</summary>
    public long TakeBlankRecords()
    {
        var blank = _blankRecords;
        _blankRecords = 0;
        return blank;
    }

    /// <summary>
    /// Finds the next record. <paramref name="record"/> points into the scanner's buffer and is valid until the next
    /// call. Returns false at end of input (no further start hint match).
    /// </summary>
    public bool TryReadRecord(RecordParseHint startHint, RecordParseHint endHint, out long recordOffset,
        out ReadOnlySpan<byte> record)
    {
        record = default;
        recordOffset = -1;
        // A record found by a pattern ends where the end pattern starts, and that pattern is the next record's start
        // (WARC: a request ends at "WARC-Type: response"). After a positional start nothing marks the next record's
        // start: the end pattern is a terminator (a line's "\n") and is consumed with its record — and an empty record
        // before it (a blank line) is passed over.
        var endIsTerminator = startHint.HintType == RecordHintType.Offset && endHint.HintType == RecordHintType.Pattern;
        while (true)
        {
            if (!TryFindStart(startHint, out var start, out var startLength))
            {
                EndedSearchingFor = startHint;
                return false;
            }

            // Bytes before the record (garbage between records) are never needed again.
            _cursor = start;
            var end = FindEnd(endHint, start + startLength);
            start = _cursor; // FindEnd may have compacted the buffer; the record start stays at the cursor
            var length = end - start;
            var terminator = endIsTerminator && end < _end ? endHint.PatternUtf8.Length : 0;
            if (length > _maxRecordBytes)
            {
                throw TooLarge();
            }

            if (length == 0)
            {
                if (terminator == 0)
                {
                    throw new InputReadException(_fileName, _bufferOffset + start,
                        $"the hints ({startHint}, {endHint}) give an empty record; reading could not advance");
                }

                _cursor = end + terminator;
                _blankRecords++;
                continue;
            }

            recordOffset = _bufferOffset + start;
            record = _buffer.AsSpan(start, length);
            _cursor = end + terminator;
            RecordsFound++;
            return true;
        }
    }

    private bool TryFindStart(RecordParseHint hint, out int start, out int matchLength)
    {
        if (hint.HintType == RecordHintType.Offset)
        {
            matchLength = 0;
            var skip = hint.Offset;
            while (_end - _cursor <= skip && !_eof)
            {
                Fill();
            }

            start = _cursor + skip;
            if (start >= _end)
            {
                _cursor = _end;
                return false;
            }

            return true;
        }

        var pattern = hint.PatternUtf8.Span;
        matchLength = pattern.Length;
        var searchFrom = _cursor;
        while (true)
        {
            var index = _buffer.AsSpan(searchFrom, _end - searchFrom).IndexOf(pattern);
            if (index >= 0)
            {
                start = searchFrom + index;
                return true;
            }

            if (_eof)
            {
                _cursor = _end;
                start = -1;
                return false;
            }

            // A partial match may straddle the end of the data: keep its possible first bytes.
            _cursor = Math.Max(_cursor, _end - (pattern.Length - 1));
            Fill();
            searchFrom = _cursor;
        }
    }

    /// <summary>Returns the index (in the possibly compacted buffer) where the record ends.</summary>
    private int FindEnd(RecordParseHint hint, int searchFrom)
    {
        if (hint.HintType == RecordHintType.Offset)
        {
            var wanted = hint.Offset;
            if (wanted > _maxRecordBytes)
            {
                throw TooLarge();
            }

            while (_end - _cursor < wanted && !_eof)
            {
                Fill(capacityNeeded: wanted);
            }

            return _cursor + Math.Min(wanted, _end - _cursor);
        }

        var pattern = hint.PatternUtf8.Span;
        var fromCursor = searchFrom - _cursor;
        while (true)
        {
            var from = _cursor + fromCursor;
            var index = _buffer.AsSpan(from, _end - from).IndexOf(pattern);
            if (index >= 0)
            {
                return from + index;
            }

            if (_eof)
            {
                return _end;
            }

            fromCursor = Math.Max(fromCursor, _end - _cursor - (pattern.Length - 1));
            // The end pattern itself must fit behind a record of the maximum size to be found.
            var capacityNeeded = _end - _cursor + 1;
            if (capacityNeeded > _maxRecordBytes + pattern.Length)
            {
                throw TooLarge();
            }

            Fill(capacityNeeded);
        }
    }

    // Called while the cursor is at the record's start (the bytes before it are dropped first): the message and the
    // task's error record name where the record starts, not where the scan gave up.
    private InputReadException TooLarge() => InputReadException.RecordTooLarge(_fileName, Position, _maxRecordBytes);

    /// <summary>Reads more input after the data, first moving the unread bytes to the buffer start.</summary>
    /// <param name="capacityNeeded">Bytes from the cursor the buffer must be able to hold; it grows for them.</param>
    private void Fill(int capacityNeeded = 1)
    {
        if (_cursor > 0 && (_end == _buffer.Length || _cursor >= _buffer.Length / 2))
        {
            var unread = _end - _cursor;
            _buffer.AsSpan(_cursor, unread).CopyTo(_buffer);
            _bufferOffset += _cursor;
            _cursor = 0;
            _end = unread;
        }

        if (_end == _buffer.Length || capacityNeeded > _buffer.Length)
        {
            // The cursor is at 0 here: the unread bytes are one record that does not fit yet.
            var grown = ArrayPool<byte>.Shared.Rent(Math.Max(capacityNeeded, (int)Math.Min(_buffer.Length * 2L, Array.MaxLength)));
            _buffer.AsSpan(0, _end).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
        }

        int read;
        try
        {
            read = _input.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (InvalidDataException e)
        {
            throw new InputReadException(_fileName, _bufferOffset + _end, $"corrupt or truncated compressed data: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new InputReadException(_fileName, _bufferOffset + _end, $"read failed: {e.Message}", e);
        }

        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}

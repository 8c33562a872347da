namespace LetsData.Runtime.Reading.Gzip;

/// <summary>
/// Where a gzip member starts: its first header byte in the compressed file and the offset of its first decompressed
/// byte. Decompression can restart here (a ranged read from <paramref name="CompressedOffset"/>) because a member does
/// not depend on the bytes before it.
/// </summary>
/// <param name="CompressedOffset">Absolute offset of the member's gzip header (1f 8b) in the compressed file.</param>
/// <param name="DecompressedOffset">Absolute offset in the decompressed content of the member's first byte.</param>
internal readonly record struct GzipMemberStart(long CompressedOffset, long DecompressedOffset);

/// <summary>
/// The most recent member starts of one <see cref="GzipMemberStream"/>, for crash-resume checkpoints: "at which member
/// start at or before this record offset can decompression restart?". Filled by the inflating thread (a read-ahead
/// pool thread, or the task thread) and asked by the task thread, hence the lock — taken once per member and per
/// question, never per byte.
/// <para>
/// Memory is bounded: a ring of the last <see cref="Capacity"/> starts (older ones fall out, the caller only asks
/// about offsets not far behind the decompression front), and <see cref="ForgetBefore"/> drops what the caller will
/// never ask about again.
/// </para>
/// </summary>
internal sealed class GzipMemberMap
{
    /// <summary>
    /// Common Crawl members are one WARC record each (a few KB to a few hundred KB): 4,096 starts cover far more than
    /// the read-ahead window between the inflating thread and the task, in 64 KiB.
    /// </summary>
    public const int DefaultCapacity = 4096;

    private readonly Lock _lock = new();
    private readonly GzipMemberStart[] _ring;
    private int _first;
    private int _count;
    private long _added;

    public GzipMemberMap(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new GzipMemberStart[capacity];
    }

    /// <summary>How many starts the map keeps at most.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Starts held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Members started since the stream was opened (including those no longer held).</summary>
    public long MembersStarted
    {
        get
        {
            lock (_lock)
            {
                return _added;
            }
        }
    }

    /// <summary>
    /// The last member start at or before <paramref name="decompressedOffset"/>: restarting there and skipping
    /// <c>decompressedOffset - start.DecompressedOffset</c> bytes reaches the offset. False when the map holds no
    /// start that early (not reached yet, fallen out of the ring, or forgotten).
    /// </summary>
    public bool TryGetMemberStartAtOrBefore(long decompressedOffset, out GzipMemberStart start)
    {
        lock (_lock)
        {
            // Binary search over the ring in logical order: starts are added in increasing decompressed order.
            int low = 0, high = _count - 1, found = -1;
            while (low <= high)
            {
                var middle = low + ((high - low) >> 1);
                if (At(middle).DecompressedOffset <= decompressedOffset)
                {
                    found = middle;
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            start = found < 0 ? default : At(found);
            return found >= 0;
        }
    }

    /// <summary>
    /// The caller will not ask about offsets below <paramref name="decompressedOffset"/> any more: drops every start
    /// except the last one at or before it (which still answers for the offsets from there on).
    /// </summary>
    public void ForgetBefore(long decompressedOffset)
    {
        lock (_lock)
        {
            while (_count > 1 && At(1).DecompressedOffset <= decompressedOffset)
            {
                _first = (_first + 1) % _ring.Length;
                _count--;
            }
        }
    }

    /// <summary>Every start held, oldest first (a copy).</summary>
    public GzipMemberStart[] Snapshot()
    {
        lock (_lock)
        {
            var copy = new GzipMemberStart[_count];
            for (var i = 0; i < _count; i++)
            {
                copy[i] = At(i);
            }

            return copy;
        }
    }

    /// <summary>Records the start of the member the stream begins to inflate (in increasing offsets).</summary>
    internal void Add(GzipMemberStart start)
    {
        lock (_lock)
        {
            _added++;
            // An empty member starts where the next one does: one start per decompressed offset is enough (the
            // earlier one restarts correctly too, it only inflates the empty member again).
            if (_count > 0 && At(_count - 1).DecompressedOffset == start.DecompressedOffset)
            {
                return;
            }

            if (_count == _ring.Length)
            {
                _first = (_first + 1) % _ring.Length;
                _count--;
            }

            _ring[(_first + _count) % _ring.Length] = start;
            _count++;
        }
    }

    private GzipMemberStart At(int index) => _ring[(_first + index) % _ring.Length];
}

namespace LetsData.Runtime.Reading;

/// <summary>
/// Buffers of one size, recycled among the threads of a pipeline (handed out on one thread, given back on another).
/// Unlike <see cref="System.Buffers.ArrayPool{T}.Shared"/>, whose per-thread and per-core slots keep what each thread
/// last returned and whose misses allocate new large-object-heap arrays that only a gen2 collection frees, this pool
/// allocates only when none is free: the buffers it ever allocates are as many as were out at once, so what a reader
/// holds does not creep up with the length of the input (issue 16: peak RSS flat in input size).
/// Thread-safe; a lock taken once per buffer (a buffer is ~1 MB of inflated data or a 4 MB block window).
/// </summary>
internal sealed class FixedSizeBufferPool
{
    private readonly Lock _lock = new();
    private readonly Stack<byte[]> _free = new();
    private int _allocated;

    /// <param name="bufferBytes">The length of every buffer.</param>
    public FixedSizeBufferPool(int bufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferBytes, 1);
        BufferBytes = bufferBytes;
    }

    /// <summary>The length of every buffer.</summary>
    public int BufferBytes { get; }

    /// <summary>Buffers allocated so far: the most that were out at once.</summary>
    public int Allocated
    {
        get
        {
            lock (_lock)
            {
                return _allocated;
            }
        }
    }

    /// <summary>Buffers given back and not handed out again.</summary>
    public int Free
    {
        get
        {
            lock (_lock)
            {
                return _free.Count;
            }
        }
    }

    /// <summary>A free buffer, or a new one when all are out (its contents are not cleared).</summary>
    public byte[] Rent()
    {
        lock (_lock)
        {
            if (_free.TryPop(out var buffer))
            {
                return buffer;
            }

            _allocated++;
        }

        return GC.AllocateUninitializedArray<byte>(BufferBytes);
    }

    /// <summary>Gives back a buffer from <see cref="Rent"/>.</summary>
    public void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length != BufferBytes)
        {
            throw new ArgumentException($"a buffer of {buffer.Length} bytes was returned to a pool of {BufferBytes}-byte buffers", nameof(buffer));
        }

        lock (_lock)
        {
            _free.Push(buffer);
        }
    }
}

using System.Buffers;
using System.Text;

namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>
/// The records of one PutRecords request, kept in one pooled byte array (data) plus a reused entry table, so a sink
/// that refills the same batch allocates nothing per record. Enforces the request limits: at most
/// <see cref="MaxRecords"/> records and <see cref="MaxRequestBytes"/> of data and partition keys.
/// </summary>
public sealed class KinesisPutRecordsBatch : IDisposable
{
    /// <summary>Records per PutRecords request (Kinesis limit).</summary>
    public const int MaxRecords = 500;

    /// <summary>Data plus partition key bytes per PutRecords request (Kinesis limit: 5 MiB).</summary>
    public const int MaxRequestBytes = 5 * 1024 * 1024;

    /// <summary>Data plus partition key bytes of one record (Kinesis limit: 1 MiB).</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    private readonly Entry[] _entries = new Entry[MaxRecords];
    private byte[] _data;
    private int _dataLength;

    /// <summary>Creates an empty batch.</summary>
    public KinesisPutRecordsBatch()
    {
        _data = ArrayPool<byte>.Shared.Rent(64 * 1024);
    }

    /// <summary>Records in the batch.</summary>
    public int Count { get; private set; }

    /// <summary>Data and partition key bytes in the batch: what counts against <see cref="MaxRequestBytes"/>.</summary>
    public long PayloadBytes { get; private set; }

    /// <summary>
    /// Adds a record, or returns false when it would take the batch past a request limit (an empty batch takes any
    /// record within <see cref="MaxRecordBytes"/>). A record counts for its data plus its partition key in UTF-8.
    /// </summary>
    /// <param name="data">The record's data (copied).</param>
    /// <param name="partitionKey">The record's partition key (1 to 256 characters).</param>
    public bool TryAdd(ReadOnlySpan<byte> data, string partitionKey) =>
        TryAdd(data, partitionKey, Encoding.UTF8.GetByteCount(partitionKey));

    /// <summary>
    /// <see cref="TryAdd(ReadOnlySpan{byte}, string)"/> for a caller that has counted the partition key's UTF-8 bytes
    /// already (to check the record's size), so they are not counted again.
    /// </summary>
    /// <param name="data">The record's data (copied).</param>
    /// <param name="partitionKey">The record's partition key (1 to 256 characters).</param>
    /// <param name="partitionKeyBytes">The partition key's length in UTF-8.</param>
    public bool TryAdd(ReadOnlySpan<byte> data, string partitionKey, int partitionKeyBytes)
    {
        var size = data.Length + partitionKeyBytes;
        if (size > MaxRecordBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(data), $"a Kinesis record may hold {MaxRecordBytes} bytes of data and partition key; this one has {size}");
        }

        if (Count == MaxRecords || (Count > 0 && PayloadBytes + size > MaxRequestBytes))
        {
            return false;
        }

        EnsureData(data.Length);
        data.CopyTo(_data.AsSpan(_dataLength));
        _entries[Count++] = new Entry(_dataLength, data.Length, partitionKey);
        _dataLength += data.Length;
        PayloadBytes += size;
        return true;
    }

    /// <summary>The data of record <paramref name="index"/>.</summary>
    public ReadOnlySpan<byte> DataAt(int index)
    {
        var entry = EntryAt(index);
        return _data.AsSpan(entry.Offset, entry.Length);
    }

    /// <summary>The partition key of record <paramref name="index"/>.</summary>
    public string PartitionKeyAt(int index) => EntryAt(index).PartitionKey;

    /// <summary>Empties the batch, keeping its buffers.</summary>
    public void Clear()
    {
        Array.Clear(_entries, 0, Count);
        Count = 0;
        _dataLength = 0;
        PayloadBytes = 0;
    }

    /// <summary>Returns the pooled data array.</summary>
    public void Dispose()
    {
        var data = _data;
        _data = [];
        Count = 0;
        _dataLength = 0;
        if (data.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(data);
        }
    }

    private Entry EntryAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        return _entries[index];
    }

    private void EnsureData(int more)
    {
        if (_data.Length - _dataLength >= more)
        {
            return;
        }

        var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_data.Length * 2, _dataLength + more));
        _data.AsSpan(0, _dataLength).CopyTo(grown);
        ArrayPool<byte>.Shared.Return(_data);
        _data = grown;
    }

    private readonly record struct Entry(int Offset, int Length, string PartitionKey);
}

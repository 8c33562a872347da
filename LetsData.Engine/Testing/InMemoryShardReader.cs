namespace LetsData.Runtime.Testing;

/// <summary>
/// The reading half of the in-memory streams (<see cref="InMemoryKinesisStream"/>, <see cref="InMemoryDynamoDBStream"/>):
/// a shard's records in batches of at most <c>batchSize</c>, after the checkpoint's sequence number when one is given.
/// </summary>
internal abstract class InMemoryShardReader<TRecord>(List<TRecord> records, int next, int batchSize)
{
    /// <summary>Where a reader of <paramref name="records"/> starts: after <paramref name="afterSequenceNumber"/>, or at the first.</summary>
    protected static int StartAfter(List<TRecord> records, string? afterSequenceNumber, Func<TRecord, string> sequenceNumber) =>
        afterSequenceNumber is null ? 0 : records.FindIndex(r => sequenceNumber(r) == afterSequenceNumber) + 1;

    /// <summary>Adds the next batch; false once the shard's records are all read.</summary>
    public ValueTask<bool> ReadAsync(List<TRecord> batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var count = Math.Min(batchSize, records.Count - next);
        batch.AddRange(records.GetRange(next, count));
        next += count;
        return ValueTask.FromResult(next < records.Count);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

using LetsData.Runtime.Reading.DynamoDB;

namespace LetsData.Runtime.Testing;

/// <summary>
/// A DynamoDB table in memory for the test harness: items of plain values, split into scan segments the way a
/// parallel scan does (each item in exactly one segment). The engine reads it through <see cref="IDynamoDBTableSource"/>.
/// </summary>
public sealed class InMemoryDynamoDBTable(string tableName, IReadOnlyList<string> keyAttributes, int totalSegments = 1, int pageSize = 100)
    : IDynamoDBTableSource
{
    private readonly List<Dictionary<string, object?>> _items = [];

    public string TableName { get; } = tableName;
    public int TotalSegments { get; } = totalSegments >= 1 ? totalSegments : throw new ArgumentOutOfRangeException(nameof(totalSegments));

    /// <summary>Adds an item; it must carry every key attribute.</summary>
    public void Add(Dictionary<string, object?> item)
    {
        foreach (var key in keyAttributes)
        {
            if (!item.ContainsKey(key))
            {
                throw new ArgumentException($"the item has no key attribute '{key}'", nameof(item));
            }
        }

        _items.Add(item);
    }

    public string Describe() => $"table {TableName}";

    public IDynamoDBSegmentReader OpenSegment(int segment, IReadOnlyDictionary<string, object?>? exclusiveStartKey = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segment);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(segment, TotalSegments);
        var items = _items.Where((_, i) => i % TotalSegments == segment)
            .Select(item => new DynamoDBItem(keyAttributes.ToDictionary(k => k, k => item[k]), item))
            .ToList();
        var start = exclusiveStartKey is null ? 0 : items.FindIndex(i => SameKeys(i.Keys, exclusiveStartKey)) + 1;
        return new SegmentReader(items, start, pageSize);
    }

    private static bool SameKeys(IReadOnlyDictionary<string, object?> a, IReadOnlyDictionary<string, object?> b) =>
        a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && Equals(kv.Value, other));

    private sealed class SegmentReader(List<DynamoDBItem> items, int next, int pageSize) : IDynamoDBSegmentReader
    {
        public IReadOnlyDictionary<string, object?>? LastEvaluatedKey { get; private set; }

        public ValueTask<bool> ReadAsync(List<DynamoDBItem> page, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(pageSize, items.Count - next);
            page.AddRange(items.GetRange(next, count));
            next += count;
            var more = next < items.Count;
            LastEvaluatedKey = more && count > 0 ? page[^1].Keys : null;
            return ValueTask.FromResult(more);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

using System.Globalization;
using Amazon.DynamoDBv2.Model;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.Writing.DynamoDB;

/// <summary>
/// Compares items by their primary key only, as DynamoDB does when it refuses two puts of one key in a batch. Numbers
/// compare by value ("1.0" and "1" are one key to DynamoDB).
/// </summary>
internal sealed class ItemKeyComparer(DynamoDBKeySchema schema) : IEqualityComparer<Dictionary<string, AttributeValue>>
{
    public bool Equals(Dictionary<string, AttributeValue>? x, Dictionary<string, AttributeValue>? y) =>
        x is not null && y is not null
        && KeyEquals(x[schema.PartitionKey], y[schema.PartitionKey])
        && (schema.SortKey is not { } sortKey || KeyEquals(x[sortKey], y[sortKey]));

    public int GetHashCode(Dictionary<string, AttributeValue> item) =>
        HashCode.Combine(KeyHash(item[schema.PartitionKey]), schema.SortKey is { } sortKey ? KeyHash(item[sortKey]) : 0);

    private static bool KeyEquals(AttributeValue a, AttributeValue b)
    {
        if (a.S is not null || b.S is not null)
        {
            return string.Equals(a.S, b.S, StringComparison.Ordinal);
        }

        if (a.N is not null || b.N is not null)
        {
            return a.N is not null && b.N is not null
                && (TryNumber(a.N, out var x) && TryNumber(b.N, out var y) ? x == y : string.Equals(a.N, b.N, StringComparison.Ordinal));
        }

        return a.B is not null && b.B is not null && a.B.ToArray().AsSpan().SequenceEqual(b.B.ToArray());
    }

    private static int KeyHash(AttributeValue value) =>
        value.S is { } s ? s.GetHashCode(StringComparison.Ordinal)
        : value.N is { } n ? (TryNumber(n, out var number) ? number.GetHashCode() : n.GetHashCode(StringComparison.Ordinal))
        : value.B is { } b ? (int)b.Length
        : 0;

    private static bool TryNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}

using System.Text;
using Amazon.DynamoDBv2.Model;

namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>
/// An item's size as DynamoDB counts it against its 400 KB limit, following AWS's published rules: attribute names
/// and string values by their UTF-8 length, binary by length, numbers about one byte per two significant digits plus
/// one, booleans and nulls one byte, lists and maps three bytes plus one per element. Close enough to tell which items
/// DynamoDB will refuse (it may differ by a few bytes per number), not an exact replica of the service's accounting.
/// </summary>
public static class DynamoDBItemSize
{
    /// <summary>DynamoDB's limit for one item: 400 KB.</summary>
    public const int MaxItemBytes = 400 * 1024;

    public static long Of(IReadOnlyDictionary<string, AttributeValue> item)
    {
        long size = 0;
        foreach (var (name, value) in item)
        {
            size += Encoding.UTF8.GetByteCount(name) + Of(value);
        }

        return size;
    }

    public static long Of(AttributeValue value)
    {
        if (value.S is { } s)
        {
            return Encoding.UTF8.GetByteCount(s);
        }

        if (value.N is { } n)
        {
            return NumberSize(n);
        }

        if (value.B is { } b)
        {
            return b.Length;
        }

        if (value.L is { } list)
        {
            long size = 3;
            foreach (var element in list)
            {
                size += 1 + Of(element);
            }

            return size;
        }

        if (value.M is { } map)
        {
            long size = 3;
            foreach (var (name, element) in map)
            {
                size += 1 + Encoding.UTF8.GetByteCount(name) + Of(element);
            }

            return size;
        }

        if (value.SS is { } strings)
        {
            return strings.Sum(x => (long)Encoding.UTF8.GetByteCount(x));
        }

        if (value.NS is { } numbers)
        {
            return numbers.Sum(NumberSize);
        }

        if (value.BS is { } binaries)
        {
            return binaries.Sum(x => x.Length);
        }

        return 1;
    }

    private static long NumberSize(string n)
    {
        DynamoDBNumbers.Check(n, out var digits);
        return (digits + 1) / 2 + 1;
    }
}

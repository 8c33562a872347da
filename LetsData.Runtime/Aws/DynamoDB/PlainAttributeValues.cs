using System.Collections;
using Amazon.DynamoDBv2.Model;

namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>
/// DynamoDB <see cref="AttributeValue"/>s as the plain JSON-like values plugins get, and back (for scan start keys):
/// S string; N long when integral and in range, else decimal, else double (beyond decimal's range; decimal keeps 28–29
/// significant digits of DynamoDB's 38); BOOL bool; NULL null; B byte[]; L <c>List&lt;object?&gt;</c>;
/// M <c>Dictionary&lt;string, object?&gt;</c>; SS/NS/BS a <c>List&lt;object?&gt;</c> of their elements.
/// </summary>
public static class PlainAttributeValues
{
    public static Dictionary<string, object?> ToPlainItem(IReadOnlyDictionary<string, AttributeValue> item)
    {
        var plain = new Dictionary<string, object?>(item.Count, StringComparer.Ordinal);
        foreach (var (name, value) in item)
        {
            plain[name] = ToPlain(value);
        }

        return plain;
    }

    public static object? ToPlain(AttributeValue value)
    {
        if (value.S is { } s)
        {
            return s;
        }

        if (value.N is { } n)
        {
            return ParseNumber(n);
        }

        if (value.BOOL is { } b)
        {
            return b;
        }

        if (value.NULL == true)
        {
            return null;
        }

        if (value.B is { } binary)
        {
            return binary.ToArray();
        }

        if (value.M is { } map)
        {
            return ToPlainItem(map);
        }

        if (value.L is { } list)
        {
            var plain = new List<object?>(list.Count);
            foreach (var element in list)
            {
                plain.Add(ToPlain(element));
            }

            return plain;
        }

        if (value.SS is { } strings)
        {
            return strings.ConvertAll(x => (object?)x);
        }

        if (value.NS is { } numbers)
        {
            return numbers.ConvertAll(x => (object?)ParseNumber(x));
        }

        if (value.BS is { } binaries)
        {
            return binaries.ConvertAll(x => (object?)x.ToArray());
        }

        throw new ArgumentException("The attribute value has no type set", nameof(value));
    }

    /// <summary>A DynamoDB number as long when integral and in range, else decimal, else double.</summary>
    public static object ParseNumber(string text) => PlainNumbers.Parse(text);

    public static Dictionary<string, AttributeValue> FromPlainItem(IReadOnlyDictionary<string, object?> item)
    {
        var values = new Dictionary<string, AttributeValue>(item.Count, StringComparer.Ordinal);
        foreach (var (name, value) in item)
        {
            values[name] = FromPlain(value);
        }

        return values;
    }

    /// <summary>A plain value as an <see cref="AttributeValue"/>; numbers keep their invariant-culture text.</summary>
    public static AttributeValue FromPlain(object? value) => value switch
    {
        null => new AttributeValue { NULL = true },
        string s => new AttributeValue { S = s },
        bool b => new AttributeValue { BOOL = b },
        byte[] bytes => new AttributeValue { B = new MemoryStream(bytes, writable: false) },
        double or float or sbyte or byte or short or ushort or int or uint or long or ulong or decimal =>
            new AttributeValue { N = PlainNumbers.Format(value) },
        IReadOnlyDictionary<string, object?> map => new AttributeValue { M = FromPlainItem(map) },
        IDictionary<string, object?> map => new AttributeValue { M = FromPlainItem(map.AsReadOnly()) },
        IEnumerable list => new AttributeValue { L = list.Cast<object?>().Select(FromPlain).ToList() },
        _ => throw new ArgumentException($"A {value.GetType()} cannot be a DynamoDB attribute value", nameof(value)),
    };
}

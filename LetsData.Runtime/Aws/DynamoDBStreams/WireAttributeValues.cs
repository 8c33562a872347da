using System.Text.Json;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.Aws.DynamoDBStreams;

/// <summary>
/// DynamoDB's wire form of attribute values (<c>{"S": "a"}</c>, <c>{"N": "1"}</c> …, as DynamoDB Streams sends keys
/// and images) as the plain values plugins get, the same as <see cref="PlainAttributeValues"/> makes of the SDK's.
/// </summary>
internal static class WireAttributeValues
{
    public static Dictionary<string, object?> ToPlainItem(JsonElement item)
    {
        var plain = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var attribute in item.EnumerateObject())
        {
            plain[attribute.Name] = ToPlain(attribute.Value);
        }

        return plain;
    }

    public static object? ToPlain(JsonElement value)
    {
        foreach (var typed in value.EnumerateObject())
        {
            var v = typed.Value;
            switch (typed.Name)
            {
                case "S":
                    return v.GetString();
                case "N":
                    return PlainAttributeValues.ParseNumber(v.GetString()!);
                case "BOOL":
                    return v.GetBoolean();
                case "NULL":
                    return null;
                case "B":
                    return v.GetBytesFromBase64();
                case "M":
                    return ToPlainItem(v);
                case "L":
                    return v.EnumerateArray().Select(ToPlain).ToList();
                case "SS":
                    return v.EnumerateArray().Select(e => (object?)e.GetString()).ToList();
                case "NS":
                    return v.EnumerateArray().Select(e => (object?)PlainAttributeValues.ParseNumber(e.GetString()!)).ToList();
                case "BS":
                    return v.EnumerateArray().Select(e => (object?)e.GetBytesFromBase64()).ToList();
            }
        }

        throw new JsonException($"not a DynamoDB attribute value: {value.GetRawText()}");
    }
}

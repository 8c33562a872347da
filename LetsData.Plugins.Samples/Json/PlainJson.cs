using System.Text.Json;

namespace LetsData.Plugins.Samples.Json;

/// <summary>
/// JSON to the plain values documents hold (string, long, decimal, double, bool, null, <c>List&lt;object?&gt;</c>,
/// <c>Dictionary&lt;string, object?&gt;</c>), so a document read back serializes as it was written.
/// </summary>
internal static class PlainJson
{
    public static Dictionary<string, object?> ReadObject(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected a JSON object, found {(reader.TokenType == JsonTokenType.None ? "nothing" : reader.TokenType.ToString())}");
        }

        var value = ReadObject(ref reader);
        if (reader.Read())
        {
            throw new JsonException($"unexpected {reader.TokenType} after the object at byte {reader.TokenStartIndex}");
        }

        return value;
    }

    private static Dictionary<string, object?> ReadObject(ref Utf8JsonReader reader)
    {
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            fields[name] = ReadValue(ref reader);
        }

        return fields;
    }

    private static object? ReadValue(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => reader.TryGetInt64(out var integer) ? integer
            : reader.TryGetDecimal(out var number) ? number
            : reader.GetDouble(),
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        JsonTokenType.StartObject => ReadObject(ref reader),
        JsonTokenType.StartArray => ReadArray(ref reader),
        _ => throw new JsonException($"unexpected {reader.TokenType} at byte {reader.TokenStartIndex}"),
    };

    private static List<object?> ReadArray(ref Utf8JsonReader reader)
    {
        var items = new List<object?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            items.Add(ReadValue(ref reader));
        }

        return items;
    }
}

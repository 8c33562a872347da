using System.Text.Json;

namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>
/// A scan key (a segment's last evaluated key, as plain values) as text for checkpoints and error records, and back.
/// Written in DynamoDB's typed JSON (<c>{"pk":{"S":"a"},"sk":{"N":"7"}}</c>) because plain JSON would lose whether a
/// key was binary or a number written as a string; key attributes are only ever S, N or B.
/// </summary>
public static class DynamoDBKeyJson
{
    public static string Serialize(IReadOnlyDictionary<string, object?> key)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, plain) in key)
            {
                writer.WriteStartObject(name);
                if (plain is string s)
                {
                    writer.WriteString("S", s);
                }
                else if (PlainNumbers.Format(plain) is { } n)
                {
                    writer.WriteString("N", n);
                }
                else if (plain is byte[] b)
                {
                    writer.WriteBase64String("B", b);
                }
                else
                {
                    throw new ArgumentException($"Key attribute '{name}' is not a string, number or byte[]", nameof(key));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <exception cref="FormatException">The text is not a key written by <see cref="Serialize"/>.</exception>
    public static Dictionary<string, object?> Deserialize(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var key = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var attribute in document.RootElement.EnumerateObject())
            {
                var typed = attribute.Value.ValueKind == JsonValueKind.Object && attribute.Value.GetPropertyCount() == 1
                    ? attribute.Value.EnumerateObject().Single()
                    : default;
                key[attribute.Name] = (typed.Value.ValueKind != JsonValueKind.String ? null : typed.Name switch
                {
                    "S" => typed.Value.GetString(),
                    "N" => PlainNumbers.Parse(typed.Value.GetString()!),
                    "B" => typed.Value.GetBytesFromBase64(),
                    _ => null,
                }) ?? throw new FormatException($"Key attribute '{attribute.Name}' is not typed S, N or B: {attribute.Value.GetRawText()}");
            }

            return key;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"Not a DynamoDB key: {e.Message}", e);
        }
    }
}

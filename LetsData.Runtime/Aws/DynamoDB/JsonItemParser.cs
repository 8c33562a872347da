using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>
/// Turns a serialized document (a JSON object) into a DynamoDB item: each top-level field one attribute; strings S,
/// numbers N with the JSON text unchanged, true/false BOOL, null NULL, arrays L, objects M. Throws
/// <see cref="JsonItemException"/> for input DynamoDB would refuse.
/// </summary>
public static class JsonItemParser
{
    /// <summary>DynamoDB nests lists and maps at most 32 levels deep; the item's own object is one more.</summary>
    public const int MaxDepth = 33;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Parses one serialized document.</summary>
    public static Dictionary<string, AttributeValue> Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, ReaderOptions);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonItemException("is not a JSON object");
            }

            var item = ReadMap(ref reader, topLevel: true);
            if (reader.Read())
            {
                throw new JsonItemException("has content after its JSON object");
            }

            return item;
        }
        catch (JsonException e)
        {
            throw new JsonItemException($"is not valid JSON or nests deeper than DynamoDB allows ({e.Message})");
        }
    }

    private static Dictionary<string, AttributeValue> ReadMap(ref Utf8JsonReader reader, bool topLevel)
    {
        var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (topLevel && name.Length == 0)
            {
                throw new JsonItemException("has a field with an empty name (DynamoDB attribute names are at least one character)");
            }

            reader.Read();

            // A name given twice: the last one wins, as in most JSON readers.
            map[name] = ReadValue(ref reader, name);
        }

        return map;
    }

    private static AttributeValue ReadValue(ref Utf8JsonReader reader, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new AttributeValue { S = reader.GetString() };
            case JsonTokenType.Number:
                var text = Encoding.UTF8.GetString(reader.ValueSpan);
                if (DynamoDBNumbers.Check(text, out _) is { } problem)
                {
                    throw new JsonItemException($"has a number in '{name}' that {problem}: {text}");
                }

                return new AttributeValue { N = text };
            case JsonTokenType.True:
                return new AttributeValue { BOOL = true };
            case JsonTokenType.False:
                return new AttributeValue { BOOL = false };
            case JsonTokenType.Null:
                return new AttributeValue { NULL = true };
            case JsonTokenType.StartArray:
                var list = new List<AttributeValue>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadValue(ref reader, name));
                }

                return new AttributeValue { L = list };
            case JsonTokenType.StartObject:
                return new AttributeValue { M = ReadMap(ref reader, topLevel: false) };
            default:
                throw new JsonItemException($"has an unexpected JSON token {reader.TokenType} in '{name}'");
        }
    }
}

/// <summary>A serialized document that cannot be a DynamoDB item; the message completes "The document …".</summary>
public sealed class JsonItemException(string message) : Exception(message);

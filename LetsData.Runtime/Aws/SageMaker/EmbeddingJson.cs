using System.Text.Json;
using LetsData.Runtime.Aws.Http;

namespace LetsData.Runtime.Aws.SageMaker;

/// <summary>
/// The one request and response shape of the embedding endpoints this runtime calls — the Hugging Face embedding
/// containers' (TEI, the Hugging Face inference toolkit's feature-extraction): request <c>{"inputs": ["text", …]}</c>,
/// response <c>[[0.1, …], …]</c>, one vector per input in order. A model server with another shape (e.g.
/// <c>{"embeddings": …}</c>) needs only this type changed.
/// </summary>
internal static class EmbeddingJson
{
    public const string ContentType = "application/json";

    /// <summary>Writes the request body for <paramref name="texts"/>.</summary>
    public static void WriteRequest(PooledByteBuffer body, IReadOnlyList<string> texts)
    {
        using var writer = new Utf8JsonWriter(body);
        writer.WriteStartObject();
        writer.WriteStartArray("inputs");
        foreach (var text in texts)
        {
            writer.WriteStringValue(text);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    /// <summary>The vectors of a response; <see cref="FormatException"/> when it is not an array of number arrays.</summary>
    public static double[][] ReadResponse(ReadOnlySpan<byte> body)
    {
        var vectors = new List<double[]>();
        var values = new List<double>();
        var reader = new Utf8JsonReader(body);
        try
        {
            Expect(reader.Read() && reader.TokenType == JsonTokenType.StartArray, "an array of vectors");
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                Expect(reader.TokenType == JsonTokenType.StartArray, "each vector an array of numbers");
                values.Clear();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    Expect(reader.TokenType == JsonTokenType.Number, "each vector an array of numbers");
                    values.Add(reader.GetDouble());
                }

                vectors.Add([.. values]);
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"the response is not JSON: {e.Message}", e);
        }

        return [.. vectors];
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new FormatException($"the response is not {what} (expected [[number, …], …], one vector per input)");
        }
    }
}

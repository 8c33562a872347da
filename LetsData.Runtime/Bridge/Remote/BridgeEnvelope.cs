using System.Buffers;
using System.Text;
using System.Text.Json;

namespace LetsData.Runtime.Bridge.Remote;

/// <summary>
/// LetsData's invocation payload (spec §3.2), as a running LetsData image's handler reads it, and its response. One call
/// per envelope: <c>batchedData</c> is left out, because every handler of LetsData's images asserts it is absent or
/// empty. <c>parseDocument</c>'s record goes as the UTF-8 string <c>content</c> with <c>startIndex</c> 0 and
/// <c>endIndex</c> its UTF-8 byte length, as the handler checks (not binary-safe: bytes that are no UTF-8 arrive
/// replaced, as in LetsData).
/// </summary>
internal static class BridgeEnvelope
{
    /// <summary>The envelope of one call; <paramref name="call"/> is a call of the hosts' request (interface, function, data).</summary>
    public static byte[] Request(JsonElement call, BridgeAuth auth)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var function = call.GetProperty("function").GetString()!;
            writer.WriteStartObject();
            writer.WriteString("requestId", Guid.NewGuid().ToString());
            writer.WriteString("interface", call.GetProperty("interface").GetString());
            writer.WriteString("function", function);
            writer.WriteStartObject("letsdataAuth");
            writer.WriteString("tenantId", auth.TenantId);
            writer.WriteString("userId", auth.UserId);
            writer.WriteString("datasetName", auth.DatasetName);
            writer.WriteString("datasetId", auth.DatasetId);
            writer.WriteEndObject();
            writer.WritePropertyName("data");
            var data = call.TryGetProperty("data", out var d) ? d : default;
            if (function == "parseDocument" && data.ValueKind == JsonValueKind.Object)
            {
                WriteParseDocumentData(writer, data);
            }
            else if (data.ValueKind == JsonValueKind.Object)
            {
                data.WriteTo(writer);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // The hosts take the record as base64 (binary-safe); the image takes it as text with its bounds.
    private static void WriteParseDocumentData(Utf8JsonWriter writer, JsonElement data)
    {
        var content = Encoding.UTF8.GetString(data.GetProperty("content").GetBytesFromBase64());
        writer.WriteStartObject();
        foreach (var property in data.EnumerateObject())
        {
            if (property.NameEquals("content"))
            {
                writer.WriteString("content", content);
            }
            else
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteNumber("startIndex", 0);
        writer.WriteNumber("endIndex", Encoding.UTF8.GetByteCount(content));
        writer.WriteEndObject();
    }

    /// <summary>
    /// The call's result from the handler's response: <c>{"StatusCode": 200|500, "headers": …, "body": {"statusCode":
    /// "SUCCESS", "data": …} | {"statusCode": "EXCEPTION", …}}</c> (a body sent as a JSON string is read too), or the
    /// Lambda runtime's own error object (<c>errorMessage</c>, <c>errorType</c>) for a handler that raised.
    /// </summary>
    /// <exception cref="FormatException">The response is neither.</exception>
    public static JsonElement Result(ReadOnlySpan<byte> response)
    {
        using var document = JsonDocument.Parse(response.ToArray());
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("body", out var body))
        {
            if (body.ValueKind == JsonValueKind.String)
            {
                using var inner = JsonDocument.Parse(body.GetString()!);
                return Body(inner.RootElement);
            }

            return Body(body);
        }

        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("errorMessage", out var message))
        {
            var type = root.TryGetProperty("errorType", out var t) ? t.GetString() : null;
            return Exception(message.GetString(), type ?? "Error", root.TryGetProperty("stackTrace", out var s) ? s.GetRawText() : null);
        }

        throw new FormatException($"not LetsData's response envelope (no body): {Shorten(Encoding.UTF8.GetString(response))}");
    }

    private static JsonElement Body(JsonElement body)
    {
        var status = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("statusCode", out var s) ? s.GetString() : null;
        if (status == "SUCCESS")
        {
            return body.Clone();
        }

        if (status == "EXCEPTION")
        {
            var exception = body.TryGetProperty("exception", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
            var message = body.TryGetProperty("errorMessage", out var m) ? m.GetString()
                : exception.ValueKind == JsonValueKind.Object && exception.TryGetProperty("errorMessage", out var em) ? em.GetString() : null;
            var type = exception.ValueKind == JsonValueKind.Object && exception.TryGetProperty("errorType", out var t) ? t.GetString() : null;
            var stack = exception.ValueKind == JsonValueKind.Object && exception.TryGetProperty("stackTrace", out var st) ? st.ToString() : null;
            return Exception(message, type ?? "Error", stack);
        }

        throw new FormatException($"the response body's statusCode is {(status is null ? "missing" : $"'{status}'")}, not SUCCESS or EXCEPTION: {Shorten(body.GetRawText())}");
    }

    // The hosts' EXCEPTION shape: no file and line (the image's paths mean nothing here).
    private static JsonElement Exception(string? message, string type, string? stackTrace)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("statusCode", "EXCEPTION");
            writer.WriteString("errorMessage", message);
            writer.WriteStartObject("exception");
            writer.WriteString("errorType", type);
            writer.WriteString("stackTrace", stackTrace);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}

/// <summary>The envelope's <c>letsdataAuth</c>: LetsData's tenant and user do not exist here; the dataset names itself.</summary>
internal sealed record BridgeAuth(string TenantId, string UserId, string DatasetName, string DatasetId)
{
    public static BridgeAuth ForDataset(string datasetName) => new("local", "local", datasetName, datasetName);
}

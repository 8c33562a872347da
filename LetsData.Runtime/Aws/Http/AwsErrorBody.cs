using System.Text.Json;

namespace LetsData.Runtime.Aws.Http;

/// <summary>
/// The error code and message of a failed AWS JSON call: <c>__type</c> and <c>message</c> of the body (JSON 1.x and
/// REST-JSON services), else the <c>x-amzn-ErrorType</c> header, else <c>HTTP&lt;status&gt;</c>.
/// </summary>
internal static class AwsErrorBody
{
    public static (string Code, int Status, string? Message) Read(HttpResponseMessage response, ReadOnlySpan<byte> body)
    {
        var status = (int)response.StatusCode;
        string? type = null;
        string? message = null;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isType = reader.ValueTextEquals("__type");
                    var isMessage = reader.ValueTextEquals("message") || reader.ValueTextEquals("Message");
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String && (isType || isMessage))
                    {
                        if (isType)
                        {
                            type = reader.GetString();
                        }
                        else
                        {
                            message = reader.GetString();
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's or load balancer's page): the status and the error-type header still say enough.
        }

        if (type is null && response.Headers.TryGetValues("x-amzn-ErrorType", out var headerTypes))
        {
            type = headerTypes.FirstOrDefault()?.Split(':')[0];
        }

        // "__type" may be fully qualified (e.g. "com.amazonaws.kinesis.v20131202#ResourceNotFoundException").
        var code = type is null ? $"HTTP{status}" : type[(type.LastIndexOf('#') + 1)..];
        return (code, status, message);
    }
}

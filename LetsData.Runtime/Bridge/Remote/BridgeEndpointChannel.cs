using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace LetsData.Runtime.Bridge.Remote;

/// <summary>
/// A running LetsData image given by URL (<c>"bridgeEndpoint"</c>), e.g. behind the Lambda runtime interface emulator
/// at <c>http://127.0.0.1:9000/2015-03-31/functions/function/invocations</c>: every call is one POST of LetsData's
/// envelope (<see cref="BridgeEnvelope"/>) on a kept-alive connection. An error envelope is the call's EXCEPTION
/// result (the readers make it an error record naming the function); an endpoint that cannot be reached, times out or
/// answers no envelope throws <see cref="BridgeHostException"/>, which fails the task (the next run resumes it from
/// its checkpoint). Thread-safe: concurrent tasks share the connection pool.
/// </summary>
internal sealed class BridgeEndpointChannel : IBridgeChannel
{
    /// <summary>Connecting gives up after this long (the request timeout is the call timeout's).</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client;
    private readonly BridgeAuth _auth;

    /// <param name="endpoint">The invocation URL.</param>
    /// <param name="auth">The envelope's <c>letsdataAuth</c>.</param>
    /// <param name="timeout">How long one call may take, connecting included.</param>
    public BridgeEndpointChannel(Uri endpoint, BridgeAuth auth, TimeSpan timeout)
    {
        Endpoint = endpoint;
        _auth = auth;
        _client = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = ConnectTimeout < timeout ? ConnectTimeout : timeout,
            // Kept alive between calls; a connection the image closed is replaced on the next call.
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = timeout,
        };
    }

    /// <summary>The invocation URL.</summary>
    public Uri Endpoint { get; }

    public string FileOf(BridgeInterface contract) => $"{contract.Name} at {Endpoint}";

    public JsonElement Call(BridgeInterface contract, string function, Action<Utf8JsonWriter> writeData)
    {
        var request = BridgeRequests.Calls(contract, function, 1, (writer, _) => writeData(writer));
        return CallMany(request, $"{contract.Name}.{function}")[0];
    }

    JsonElement IBridgeChannel.CallMany(byte[] request, string what) => ToArray(CallMany(request, what));

    /// <summary>One POST per call of the request, in order (LetsData's handlers take no batches).</summary>
    public List<JsonElement> CallMany(byte[] request, string what)
    {
        using var calls = JsonDocument.Parse(request);
        var results = new List<JsonElement>();
        foreach (var call in calls.RootElement.GetProperty("calls").EnumerateArray())
        {
            results.Add(Post(BridgeEnvelope.Request(call, _auth), what));
        }

        return results;
    }

    /// <summary>Whether a TCP connection to the endpoint opens (validate's check for readers with no per-file function).</summary>
    /// <returns>Null when it does, else why not.</returns>
    public string? Probe()
    {
        try
        {
            using var socket = new TcpClient();
            if (!socket.ConnectAsync(Endpoint.Host, Endpoint.Port).Wait(ConnectTimeout))
            {
                return $"the bridge endpoint {Endpoint} did not accept a connection within {ConnectTimeout.TotalSeconds:0} s";
            }

            return null;
        }
        catch (Exception e) when (e is SocketException or AggregateException)
        {
            return $"the bridge endpoint {Endpoint} cannot be reached: {(e as AggregateException)?.InnerException?.Message ?? e.Message}";
        }
    }

    private JsonElement Post(byte[] envelope, string what)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(envelope) };
        message.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        byte[] body;
        HttpStatusCode status;
        try
        {
            using var response = _client.Send(message, HttpCompletionOption.ResponseContentRead);
            status = response.StatusCode;
            using var stream = response.Content.ReadAsStream();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            body = copy.ToArray();
        }
        catch (TaskCanceledException)
        {
            throw new BridgeHostException($"the bridge endpoint {Endpoint} did not answer {what} within {_client.Timeout.TotalSeconds:0.#} s (the call timeout)");
        }
        catch (HttpRequestException e)
        {
            throw new BridgeHostException($"the bridge endpoint {Endpoint} cannot be reached for {what}: {e.Message}");
        }

        try
        {
            return BridgeEnvelope.Result(body);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new BridgeHostException($"the bridge endpoint {Endpoint} answered {what} with HTTP {(int)status} and no LetsData envelope: {e.Message}");
        }
    }

    private static JsonElement ToArray(List<JsonElement> results)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var result in results)
            {
                result.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    public void Dispose() => _client.Dispose();
}

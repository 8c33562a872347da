using System.Net.Sockets;
using System.Text;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>One HTTP request as <see cref="HttpRequestRecorder"/> received it.</summary>
internal sealed record RecordedRequest(string Method, string Path, string ContentType, byte[] Body);

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 that keeps every request with its body and answers 200 with an empty body (an
/// empty OTLP export response is valid protobuf): the receiving end of an exporter under test.
/// </summary>
internal sealed class HttpRequestRecorder : LoopbackServer
{
    private readonly List<RecordedRequest> _requests = [];

    public string Endpoint => $"http://127.0.0.1:{Port}";

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    // Keep-alive: the exporter may send several requests on one connection.
    protected override async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                while (await ReadRequestAsync(stream, cancellationToken).ConfigureAwait(false) is { } request)
                {
                    lock (_requests)
                    {
                        _requests.Add(request);
                    }

                    await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"u8.ToArray(),
                        cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The connection ended.
            }
        }
    }

    private static async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, cancellationToken).ConfigureAwait(false) == 0)
            {
                return null;
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString(head.ToArray()).Split("\r\n");
        var requestLine = lines[0].Split(' ');
        string Header(string name) => lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
            .Select(p => p[1].Trim()).FirstOrDefault() ?? "";
        var body = new byte[int.TryParse(Header("Content-Length"), out var length) ? length : 0];
        await stream.ReadExactlyAsync(body, cancellationToken).ConfigureAwait(false);
        return new RecordedRequest(requestLine[0], requestLine[1], Header("Content-Type"), body);
    }
}

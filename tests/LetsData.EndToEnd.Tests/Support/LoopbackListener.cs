using System.Net.Sockets;
using System.Text;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>
/// A TCP listener on 127.0.0.1 that answers every connection with a small HTTP 200 and keeps what it received: a
/// plugin that reaches it has a network path out of its sandbox.
/// </summary>
internal sealed class LoopbackListener : LoopbackServer
{
    private readonly List<string> _received = [];

    /// <summary>What each connection sent so far, one entry per connection.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return _received.ToList();
            }
        }
    }

    public void Clear()
    {
        lock (_received)
        {
            _received.Clear();
        }
    }

    protected override async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        int index;
        lock (_received)
        {
            _received.Add("");
            index = _received.Count - 1;
        }

        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var text = new StringBuilder();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, timeout.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    text.Append(Encoding.UTF8.GetString(buffer, 0, read));
                    lock (_received)
                    {
                        if (index < _received.Count)
                        {
                            _received[index] = text.ToString();
                        }
                    }
                }

                var response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"u8.ToArray();
                await stream.WriteAsync(response, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // Whatever it sent is kept; the connection itself is the finding.
            }
        }
    }
}

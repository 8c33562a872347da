using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LetsData.Integration.Tests.Faults;

/// <summary>
/// A client that dies before its request is answered (a worker killed by a crash test, a request cancelled by a client
/// timeout) must not take the emulator down with it: kinesalite and dynalite rethrow the request's "aborted" error,
/// which ended the shared emulator process in a CI run, so every later DynamoDB test saw "connection refused".
/// scripts/emulators/local-emulator.js keeps them alive; these tests fail with the packages' own handlers.
/// </summary>
public class ClientGoneMidRequestTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [TestCase("dynalite", "DynamoDB_20120810.ListTables", "application/x-amz-json-1.0")]
    [TestCase("kinesalite", "Kinesis_20131202.ListStreams", "application/x-amz-json-1.1")]
    public async Task TheEmulatorAnswersTheNextClient_AfterOneResetItsConnectionHalfwayThroughARequestBody(
        string emulator, string target, string contentType)
    {
        using var server = emulator == "dynalite" ? RestartableEmulator.DynamoDB() : RestartableEmulator.Kinesis();
        await server.StartAsync();

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, server.Port);
            var head = $"POST / HTTP/1.1\r\nHost: 127.0.0.1:{server.Port}\r\nX-Amz-Target: {target}\r\nContent-Type: {contentType}\r\n" +
                "Content-Length: 1000\r\n\r\n{\"Limit\":";
            await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head));
            await client.GetStream().FlushAsync();

            // A reset, not a polite close: what the kernel sends for a process killed with its connection open.
            client.LingerState = new LingerOption(enable: true, seconds: 0);
        }

        var noticed = await WaitForAsync(() => server.Log.Contains("a client went away", StringComparison.Ordinal) || !server.IsRunning);
        Assert.That(server.IsRunning, Is.True, $"{emulator} exited after a client reset its connection mid-request:\n{server.Log}");
        Assert.That(noticed, Is.True, $"{emulator} never noticed the reset:\n{server.Log}");

        using var http = new HttpClient { Timeout = Patience };
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint)
        {
            Content = new StringContent("{}", Encoding.UTF8, contentType),
        };
        request.Content.Headers.ContentType!.CharSet = null;
        request.Headers.Add("X-Amz-Target", target);
        // Neither emulator checks signatures, but both insist on a well-formed Authorization header.
        request.Headers.TryAddWithoutValidation("Authorization",
            "AWS4-HMAC-SHA256 Credential=S3RVER/20261127/us-east-1/service/aws4_request, SignedHeaders=host, Signature=00");
        request.Headers.Add("X-Amz-Date", "20261127T000000Z");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(body, Does.Contain(emulator == "dynalite" ? "TableNames" : "StreamNames"));
    }

    private static async Task<bool> WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }
}

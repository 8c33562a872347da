using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace LetsData.Integration.Tests.Sqs;

/// <summary>
/// Plugged into an SQS client: counts the requests of each action (X-Amz-Target) and spoils the first requests as told —
/// <see cref="ThrottleFirstOf"/> (per action) answer 400 RequestThrottled without reaching the emulator; of the
/// SendMessageBatch requests, <see cref="ThrottleFirst"/> are throttled; then
/// <see cref="RefuseEntryOfFirst"/> of more than one entry have their entry "1" held back from the emulator and reported as failed (not the
/// sender's fault), as SQS reports a partially failed batch.
/// </summary>
internal sealed class SqsBatchFaults : HttpClientFactory
{
    private int _throttled;
    private int _refused;

    public int ThrottleFirst { get; init; }

    /// <summary>Action → how many of its first requests are throttled (e.g. <c>ReceiveMessage</c>, <c>DeleteMessageBatch</c>).</summary>
    public IReadOnlyDictionary<string, int> ThrottleFirstOf { get; init; } = new Dictionary<string, int>();
    public int RefuseEntryOfFirst { get; init; }

    /// <summary>Requests per action (e.g. <c>SendMessageBatch</c>), counted before any fault.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    public int Count(string action) => Requests.GetValueOrDefault(action);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new Handler(this, new SocketsHttpHandler())) { Timeout = TimeSpan.FromMinutes(2) };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    public override string GetConfigUniqueString(IClientConfig clientConfig) => "sqs-batch-faults";

    private sealed class Handler(SqsBatchFaults owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var action = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.First().Split('.')[^1] : "";
            var count = owner.Requests.AddOrUpdate(action, 1, (_, n) => n + 1);
            if (count <= owner.ThrottleFirstOf.GetValueOrDefault(action))
            {
                return Throttled();
            }

            if (action != "SendMessageBatch")
            {
                return await base.SendAsync(request, cancellationToken);
            }

            if (Interlocked.Increment(ref owner._throttled) <= owner.ThrottleFirst)
            {
                return Throttled();
            }

            // Hold entry "1" back and report it failed, the emulator storing the others (the resend of entry "1"
            // alone is not spoiled: it is one of the requests this counts only when it has others with it).
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            var entries = body["Entries"]!.AsArray();
            var held = entries.FirstOrDefault(e => (string?)e!["Id"] == "1");
            if (held is null || entries.Count == 1 || Interlocked.Increment(ref owner._refused) > owner.RefuseEntryOfFirst)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            entries.Remove(held);
            var forwarded = new StringContent(body.ToJsonString(), Encoding.UTF8);
            forwarded.Headers.ContentType = request.Content.Headers.ContentType;
            request.Content = forwarded;
            var response = await base.SendAsync(request, cancellationToken);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!;
            answer["Failed"] = new JsonArray(new JsonObject
            {
                ["Id"] = "1", ["SenderFault"] = false, ["Code"] = "InternalError", ["Message"] = "try again (injected)",
            });
            response.Content = new StringContent(answer.ToJsonString(), Encoding.UTF8, "application/x-amz-json-1.0");
            return response;
        }

        private static HttpResponseMessage Throttled()
        {
            var throttled = new HttpResponseMessage(HttpStatusCode.BadRequest)
            {
                Content = new StringContent("""{"__type":"com.amazonaws.sqs#RequestThrottled","message":"Rate exceeded (injected)"}""",
                    Encoding.UTF8, "application/x-amz-json-1.0"),
            };
            throttled.Headers.Add("x-amzn-query-error", "RequestThrottled;Sender");
            return throttled;
        }
    }
}

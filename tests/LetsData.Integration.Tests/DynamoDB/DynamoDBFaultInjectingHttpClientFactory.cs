using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;

namespace LetsData.Integration.Tests.DynamoDB;

/// <summary>
/// What dynalite never does: throttle or fail. Plugged into a DynamoDB client, it forwards requests to the emulator
/// but can answer the next BatchWriteItem calls with an HTTP error (<see cref="FailBatchWrites"/>), or forward only
/// part of their items and answer the rest as <c>UnprocessedItems</c> (<see cref="HoldBackInBatchWrites"/>), so the
/// held-back items are really not written until the client sends them again.
/// </summary>
internal sealed class DynamoDBFaultInjectingHttpClientFactory : HttpClientFactory
{
    private int _batchWriteRequests;
    private int _heldBackItems;
    private int _failuresLeft;
    private int _holdBacksLeft;
    private int _dropsLeft;
    private HttpStatusCode _failStatus = HttpStatusCode.InternalServerError;
    private string _failCode = "InternalServerError";

    /// <summary>HTTP requests seen per operation (<c>DescribeTable</c>, <c>BatchWriteItem</c>, …), SDK retries included.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    /// <summary>BatchWriteItem HTTP requests seen (the SDK's own retries included).</summary>
    public int BatchWriteRequests => Volatile.Read(ref _batchWriteRequests);

    /// <summary>Items answered as unprocessed, all calls together.</summary>
    public int HeldBackItems => Volatile.Read(ref _heldBackItems);

    /// <summary>Answers the next <paramref name="count"/> BatchWriteItem calls with an error instead of forwarding them.</summary>
    /// <param name="count">Calls to fail.</param>
    /// <param name="status">HTTP status of the error.</param>
    /// <param name="code">AWS error code (the JSON <c>__type</c>).</param>
    public void FailBatchWrites(int count, HttpStatusCode status = HttpStatusCode.InternalServerError, string code = "InternalServerError")
    {
        _failStatus = status;
        _failCode = code;
        Volatile.Write(ref _failuresLeft, count);
    }

    /// <summary>Fails the next <paramref name="count"/> BatchWriteItem calls as a dropped connection does.</summary>
    /// <param name="count">Calls to drop.</param>
    public void DropBatchWrites(int count) => Volatile.Write(ref _dropsLeft, count);

    /// <summary>In the next <paramref name="count"/> BatchWriteItem calls, writes only the first half of the items.</summary>
    /// <param name="count">Calls to cut.</param>
    public void HoldBackInBatchWrites(int count) => Volatile.Write(ref _holdBacksLeft, count);

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) =>
        new(new Handler(this, new SocketsHttpHandler())) { Timeout = TimeSpan.FromMinutes(2) };

    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    public override string GetConfigUniqueString(IClientConfig clientConfig) => "dynamodb-fault-injecting";

    private sealed class Handler(DynamoDBFaultInjectingHttpClientFactory owner, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var operation = request.Headers.TryGetValues("X-Amz-Target", out var targets) ? targets.Single().Split('.')[^1] : "";
            owner.Requests.AddOrUpdate(operation, 1, (_, n) => n + 1);
            if (operation != "BatchWriteItem")
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            Interlocked.Increment(ref owner._batchWriteRequests);
            if (Interlocked.Decrement(ref owner._dropsLeft) >= 0)
            {
                throw new HttpRequestException("Connection reset by peer (injected by the test)", new IOException("reset"));
            }

            if (Interlocked.Decrement(ref owner._failuresLeft) >= 0)
            {
                return Json(request, owner._failStatus, new JsonObject
                {
                    ["__type"] = "com.amazonaws.dynamodb.v20120810#" + owner._failCode,
                    ["message"] = "injected by the test",
                });
            }

            if (Interlocked.Decrement(ref owner._holdBacksLeft) < 0)
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!.AsObject();
            var requestItems = body["RequestItems"]!.AsObject();
            var unprocessed = new JsonObject();
            foreach (var (table, node) in requestItems.ToList())
            {
                var all = node!.AsArray().Select(x => x!.DeepClone()).ToList();
                var kept = all.Count / 2;
                requestItems[table] = new JsonArray([.. all.Take(kept)]);
                unprocessed[table] = new JsonArray([.. all.Skip(kept)]);
                Interlocked.Add(ref owner._heldBackItems, all.Count - kept);
                if (kept == 0)
                {
                    requestItems.Remove(table);
                }
            }

            if (requestItems.Count > 0)
            {
                var contentType = request.Content.Headers.ContentType;
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
                request.Content.Headers.ContentType = contentType;
                using var forwarded = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (!forwarded.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"the shortened BatchWriteItem failed: {await forwarded.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
                }
            }

            return Json(request, HttpStatusCode.OK, new JsonObject { ["UnprocessedItems"] = unprocessed });
        }

        private static HttpResponseMessage Json(HttpRequestMessage request, HttpStatusCode status, JsonObject body)
        {
            var content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            content.Headers.ContentType = new("application/x-amz-json-1.0");
            var response = new HttpResponseMessage(status) { RequestMessage = request, Content = content };
            response.Headers.TryAddWithoutValidation("x-amzn-RequestId", Guid.NewGuid().ToString());
            return response;
        }
    }
}

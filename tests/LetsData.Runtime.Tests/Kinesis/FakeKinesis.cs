using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Tests.Kinesis;

/// <summary>One request as the transport saw it, after signing.</summary>
internal sealed record CapturedRequest(string Target, byte[] Body, HttpRequestMessage Message)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;
}

/// <summary>
/// A scripted Kinesis endpoint: every request is captured, and <see cref="Respond"/> (given the request and its
/// 0-based index) answers it, or throws to simulate a network failure. The default answer stores PutRecords records.
/// </summary>
internal sealed class FakeKinesis : HttpMessageHandler
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public static readonly Uri Endpoint = new("https://kinesis.eu-west-1.amazonaws.com/");

    private int _count;

    public ConcurrentQueue<CapturedRequest> Requests { get; } = new();

    /// <summary>Records stored by successful PutRecords answers: (partition key, data).</summary>
    public ConcurrentQueue<(string PartitionKey, byte[] Data)> Stored { get; } = new();

    public Func<CapturedRequest, int, HttpResponseMessage>? Respond { get; set; }

    public static AwsRetryPolicy FastRetries(int attempts = 8) =>
        new() { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) };

    public KinesisClient NewClient(AwsRetryPolicy? retryPolicy = null) =>
        new(this, new BasicAWSCredentials(AccessKey, SecretKey), RegionEndpoint.EUWest1, Endpoint, retryPolicy ?? FastRetries());

    public IReadOnlyList<CapturedRequest> Of(string operation) =>
        Requests.Where(r => r.Target == "Kinesis_20131202." + operation).ToList();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var target = request.Headers.TryGetValues("X-Amz-Target", out var values) ? values.Single() : "";
        var captured = new CapturedRequest(target, body, request);
        Requests.Enqueue(captured);
        var index = Interlocked.Increment(ref _count) - 1;
        return Respond is null ? StoreAll(captured) : Respond(captured, index);
    }

    /// <summary>Stores every record of a PutRecords request and answers success.</summary>
    public HttpResponseMessage StoreAll(CapturedRequest request) => StoreExcept(request, _ => null);

    /// <summary>Stores the records <paramref name="errorFor"/> gives no error code for; refuses the others.</summary>
    public HttpResponseMessage StoreExcept(CapturedRequest request, Func<int, string?> errorFor)
    {
        if (!request.Target.EndsWith(".PutRecords", StringComparison.Ordinal))
        {
            return Json(HttpStatusCode.OK, "{}");
        }

        var results = new List<string>();
        var failed = 0;
        var i = 0;
        foreach (var record in request.Json.GetProperty("Records").EnumerateArray())
        {
            var error = errorFor(i++);
            if (error is null)
            {
                Stored.Enqueue((record.GetProperty("PartitionKey").GetString()!, record.GetProperty("Data").GetBytesFromBase64()));
                results.Add("""{"ShardId":"shardId-000000000000","SequenceNumber":"1"}""");
            }
            else
            {
                failed++;
                results.Add($$"""{"ErrorCode":"{{error}}","ErrorMessage":"refused by the fake"}""");
            }
        }

        return Json(HttpStatusCode.OK, $$"""{"FailedRecordCount":{{failed}},"Records":[{{string.Join(',', results)}}]}""");
    }

    public static HttpResponseMessage Error(HttpStatusCode status, string type, string message = "from the fake") =>
        Json(status, $$"""{"__type":"{{type}}","message":"{{message}}"}""");

    public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
        new(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
}

/// <summary>A document with just what the Kinesis sink looks at.</summary>
internal sealed record TestDocument(string? DocumentId, string? PartitionKey, string Body) : LetsData.Interfaces.Documents.IDocument
{
    public string? RecordType => "test";

    public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;

    public string? Serialize() => Body;
}

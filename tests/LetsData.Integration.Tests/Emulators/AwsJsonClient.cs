using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

// Not ".Emulators": that name is the one-time setup class (Support/Emulators.cs).
namespace LetsData.Integration.Tests.AwsEmulators;

/// <summary>An answer of an AWS JSON 1.0 endpoint: status, headers and the body as sent.</summary>
internal sealed record AwsJsonAnswer(HttpStatusCode Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonNode Json => JsonNode.Parse(Body) ?? throw new InvalidOperationException("empty body");

    /// <summary>The error's __type after "#", as the AWS SDKs read it.</summary>
    public string ErrorType => ((string?)Json["__type"] ?? "").Split('#')[^1];
}

/// <summary>An AWS JSON 1.0 error answer (HTTP 400 with a __type), for calls that expect success.</summary>
internal sealed class AwsJsonException(AwsJsonAnswer answer) : Exception($"{answer.Status}: {answer.Body}")
{
    public AwsJsonAnswer Answer { get; } = answer;

    public string ErrorType => Answer.ErrorType;
}

/// <summary>
/// POSTs AWS JSON 1.0 requests (X-Amz-Target, application/x-amz-json-1.0), either signed with AWSSDK.Core's SigV4
/// handler as a real client of the service would (there is no DynamoDB Streams client in AWSSDK.DynamoDBv2 4.x, and
/// no AWSSDK.DynamoDBStreams package to use), or bare, to send the API references' example requests as written.
/// </summary>
internal sealed class AwsJsonClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public AwsJsonClient(Uri endpoint, string? signingService = null)
    {
        _endpoint = endpoint;
        HttpMessageHandler handler = new SocketsHttpHandler();
        if (signingService is not null)
        {
            var credentials = new BasicAWSCredentials(
                Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID") ?? "emulator",
                Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY") ?? "emulator");
            var region = RegionEndpoint.GetBySystemName(Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1");
            handler = new SigV4SigningHandler(credentials, region, signingService, handler);
        }

        _http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public static Uri EndpointFromEnvironment(string variable) =>
        new(Environment.GetEnvironmentVariable(variable) ?? throw new InvalidOperationException($"{variable} is not set; the emulators are not running"));

    /// <summary>Sends <paramref name="body"/> as it is and returns whatever comes back.</summary>
    public async Task<AwsJsonAnswer> PostAsync(string target, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint)
        {
            Content = new StringContent(body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.Add("X-Amz-Target", target);
        using var response = await _http.SendAsync(request);
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value));
        return new AwsJsonAnswer(response.StatusCode, headers, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends <paramref name="request"/> serialized as JSON; throws <see cref="AwsJsonException"/> unless 200.</summary>
    public async Task<JsonNode> CallAsync(string target, object request)
    {
        var answer = await PostAsync(target, JsonSerializer.Serialize(request));
        return answer.Status == HttpStatusCode.OK ? answer.Json : throw new AwsJsonException(answer);
    }

    public void Dispose() => _http.Dispose();
}

using System.Net;
using System.Text;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using LetsData.Runtime.Aws.Http;
using LetsData.Runtime.Aws.SageMaker;

namespace LetsData.Runtime.Tests.Vectorization;

/// <summary>InvokeEndpoint as the transport sees it: the signed POST, the JSON shape, retries and errors.</summary>
public class SageMakerRuntimeClientTests
{
    private static readonly Uri Endpoint = new("https://runtime.sagemaker.eu-west-1.amazonaws.com/");
    private static readonly AwsRetryPolicy FastRetries = new() { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) };

    [Test]
    public async Task TextsArePostedSignedForSagemakerAndTheVectorsReadInOrder()
    {
        using var transport = new Transport((_, _) => Json(HttpStatusCode.OK, "[[1.5,-2],[0,0.25]]"));
        using var client = NewClient(transport);

        var vectors = await client.EmbedAsync("my-endpoint", ["first text", "zweiter Text ✓"]);

        Assert.That(vectors, Is.EqualTo(new[] { new[] { 1.5, -2 }, new[] { 0, 0.25 } }));
        var (request, body) = transport.Requests.Single();
        Assert.That(request.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That(request.RequestUri, Is.EqualTo(new Uri("https://runtime.sagemaker.eu-west-1.amazonaws.com/endpoints/my-endpoint/invocations")));
        Assert.That(request.Content!.Headers.GetValues("Content-Type").Single(), Is.EqualTo("application/json"));
        Assert.That(request.Headers.GetValues("Authorization").Single(),
            Does.Match("^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/eu-west-1/sagemaker/aws4_request, "));
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()),
            Is.EqualTo(new[] { "first text", "zweiter Text ✓" }));
    }

    [Test]
    public async Task ThrottlingAndServerErrorsAreRetried_AModelErrorIsNot()
    {
        using var flaky = new Transport((_, i) => i switch
        {
            0 => Json(HttpStatusCode.TooManyRequests, """{"message":"slow down"}""", "ThrottlingException"),
            1 => Json(HttpStatusCode.ServiceUnavailable, """{"message":"busy"}""", "ServiceUnavailable"),
            _ => Json(HttpStatusCode.OK, "[[1]]"),
        });
        using var modelError = new Transport((_, _) => Json((HttpStatusCode)424, """{"message":"model crashed"}""", "ModelError"));

        var vectors = await NewClient(flaky).EmbedAsync("e", ["a"]);
        var error = Assert.ThrowsAsync<SageMakerException>(() => NewClient(modelError).EmbedAsync("e", ["a"]))!;

        Assert.That(vectors, Is.EqualTo(new[] { new[] { 1.0 } }));
        Assert.That(flaky.Requests, Has.Count.EqualTo(3));
        Assert.That(modelError.Requests, Has.Count.EqualTo(1));
        Assert.That(error.ErrorCode, Is.EqualTo("ModelError"));
        Assert.That(error.Message, Is.EqualTo("SageMaker InvokeEndpoint failed: ModelError (HTTP 424): model crashed"));
    }

    [Test]
    public void AResponseThatIsNotOneVectorPerTextIsAnError()
    {
        using var tooFew = new Transport((_, _) => Json(HttpStatusCode.OK, "[[1]]"));
        using var notVectors = new Transport((_, _) => Json(HttpStatusCode.OK, """{"embeddings":[[1]]}"""));

        var count = Assert.ThrowsAsync<SageMakerException>(() => NewClient(tooFew).EmbedAsync("e", ["a", "b"]))!;
        var shape = Assert.ThrowsAsync<SageMakerException>(() => NewClient(notVectors).EmbedAsync("e", ["a"]))!;

        Assert.That(count.Message, Does.EndWith("1 vector(s) for 2 input(s)"));
        Assert.That(shape.Message, Does.Contain("is not an array of vectors"));
    }

    private static SageMakerRuntimeClient NewClient(HttpMessageHandler transport) =>
        new(new NonDisposing(transport), new BasicAWSCredentials("AKIDEXAMPLE", "secret"), RegionEndpoint.EUWest1, Endpoint, FastRetries);

    private static HttpResponseMessage Json(HttpStatusCode status, string body, string? errorType = null)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (errorType is not null)
        {
            response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", errorType);
        }

        return response;
    }

    /// <summary>Answers each request with <paramref name="respond"/> (request, 0-based index) and keeps it.</summary>
    private sealed class Transport(Func<HttpRequestMessage, int, HttpResponseMessage> respond) : HttpMessageHandler
    {
        public List<(HttpRequestMessage Request, byte[] Body)> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken);
            Requests.Add((request, body));
            return respond(request, Requests.Count - 1);
        }
    }

    /// <summary>Keeps the test's transport alive past the client that wraps it.</summary>
    private sealed class NonDisposing(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}

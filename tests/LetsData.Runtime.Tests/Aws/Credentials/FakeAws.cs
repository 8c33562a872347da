using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Amazon.Runtime;

// Not ...Tests.Aws.Credentials: a LetsData.Runtime.Tests.Aws namespace would hide LetsData.Runtime.Aws from the tests that name it "Aws.".
namespace LetsData.Runtime.Tests.Credentials;

/// <summary>One request an AWS client sent through <see cref="FakeAwsHttp"/>: what was asked, and who signed it.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Authorization, string Body)
{
    /// <summary>The access key id in the SigV4 <c>Credential=</c> part of the Authorization header.</summary>
    public string? SigningKeyId =>
        Authorization?.Split("Credential=", 2) is [_, var rest] ? rest.Split('/', 2)[0] : null;
}

/// <summary>
/// An AWS client's HTTP transport that records every request and answers with the given function: no network, so
/// the tests see exactly which key signed which request.
/// </summary>
internal sealed class FakeAwsHttp : HttpClientFactory
{
    private readonly Func<RecordedRequest, HttpResponseMessage> _respond;

    public FakeAwsHttp(Func<RecordedRequest, HttpResponseMessage> respond) => _respond = respond;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public override HttpClient CreateHttpClient(IClientConfig clientConfig) => new(new Handler(this));
    public override bool UseSDKHttpClientCaching(IClientConfig clientConfig) => false;
    public override bool DisposeHttpClientsAfterUse(IClientConfig clientConfig) => false;
    public override string GetConfigUniqueString(IClientConfig clientConfig) => "fake-aws-http";

    /// <summary>The handler itself, for clients that take one directly (the Kinesis client).</summary>
    public HttpMessageHandler CreateHandler() => new Handler(this);

    public static HttpResponseMessage Xml(HttpStatusCode status, string xml) =>
        new(status) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };

    private sealed class Handler(FakeAwsHttp owner) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var recorded = new RecordedRequest(request.Method, request.RequestUri!,
                request.Headers.TryGetValues("Authorization", out var values) ? string.Join(",", values) : null, body);
            owner.Requests.Enqueue(recorded);
            var response = owner._respond(recorded);
            response.RequestMessage = request;
            return response;
        }
    }
}

/// <summary>STS as the tests need it: AssumeRole answers with numbered temporary keys, or a refusal.</summary>
internal sealed class FakeSts
{
    private int _issued;

    public FakeSts(Func<DateTimeOffset> now) => Http = new FakeAwsHttp(request => Answer(request, now()));

    public FakeAwsHttp Http { get; }

    /// <summary>How long the issued credentials live.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>When set, AssumeRole is refused with this error code (403).</summary>
    public string? RefuseWith { get; set; }

    /// <summary>The access key id of the <paramref name="n"/>th credentials issued (1-based).</summary>
    public static string KeyId(int n) => $"ASIAASSUMED{n:D4}";

    private HttpResponseMessage Answer(RecordedRequest request, DateTimeOffset now)
    {
        if (RefuseWith is { } code)
        {
            return FakeAwsHttp.Xml(HttpStatusCode.Forbidden, $"""
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error><Type>Sender</Type><Code>{code}</Code><Message>User: arn:aws:iam::111122223333:user/worker is not authorized to perform: sts:AssumeRole</Message></Error>
                  <RequestId>req-denied</RequestId>
                </ErrorResponse>
                """);
        }

        var n = Interlocked.Increment(ref _issued);
        var expiration = (now + Lifetime).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        return FakeAwsHttp.Xml(HttpStatusCode.OK, $"""
            <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleResult>
                <Credentials>
                  <AccessKeyId>{KeyId(n)}</AccessKeyId>
                  <SecretAccessKey>secret{n}</SecretAccessKey>
                  <SessionToken>token{n}</SessionToken>
                  <Expiration>{expiration}</Expiration>
                </Credentials>
                <AssumedRoleUser><AssumedRoleId>AROA1:letsdata</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/R/letsdata</Arn></AssumedRoleUser>
              </AssumeRoleResult>
              <ResponseMetadata><RequestId>req-{n}</RequestId></ResponseMetadata>
            </AssumeRoleResponse>
            """);
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

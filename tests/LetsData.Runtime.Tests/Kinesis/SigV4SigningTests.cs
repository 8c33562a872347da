using System.Net;
using System.Security.Cryptography;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;

namespace LetsData.Runtime.Tests.Kinesis;

public class SigV4SigningTests
{
    private const string IamDate = "20150830T123600Z";
    private const string IamContentType = "application/x-www-form-urlencoded; charset=utf-8";

    [Test]
    public void The_reference_signer_reproduces_the_AWS_documentation_example()
    {
        // AWS General Reference, "Signature Version 4 signing process" example: IAM ListUsers.
        var signature = ReferenceSigV4.Signature("GET", "/", "Action=ListUsers&Version=2010-05-08",
            [("Content-Type", IamContentType), ("Host", "iam.amazonaws.com"), ("X-Amz-Date", IamDate)],
            [], IamDate, "us-east-1", "iam", FakeKinesis.SecretKey);

        Assert.That(signature, Is.EqualTo("5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"));
    }

    [Test]
    public void The_SDK_signer_signs_the_documentation_example_as_the_reference_does()
    {
        var request = new AWSSigningRequest
        {
            HttpMethod = HttpMethod.Get,
            RequestUri = new Uri("https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08"),
        };
        request.Headers["Content-Type"] = IamContentType;
        var result = AWSSigV4Signer.Sign(request, new AWSSigV4Parameters
        {
            Credentials = new BasicAWSCredentials(FakeKinesis.AccessKey, FakeKinesis.SecretKey),
            Region = RegionEndpoint.USEast1,
            Service = "iam",
            SignedAt = new DateTime(2015, 8, 30, 12, 36, 0, DateTimeKind.Utc),
        });

        // The SDK always signs x-amz-content-sha256 as well, so its signature differs from the documented one by that
        // header only; the reference (checked above) computes what it must be.
        var expected = ReferenceSigV4.Signature("GET", "/", "Action=ListUsers&Version=2010-05-08",
            [("Content-Type", IamContentType), ("Host", "iam.amazonaws.com"), ("X-Amz-Date", IamDate),
             ("X-Amz-Content-SHA256", Convert.ToHexStringLower(SHA256.HashData(ReadOnlySpan<byte>.Empty)))],
            [], IamDate, "us-east-1", "iam", FakeKinesis.SecretKey);
        Assert.That(result.Headers["Authorization"], Is.EqualTo(
            $"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature={expected}"));
    }

    [Test]
    public async Task A_Kinesis_request_carries_a_valid_signature_over_its_target_content_type_and_body()
    {
        using var fake = new FakeKinesis { Respond = (_, _) => FakeKinesis.Json(HttpStatusCode.OK, """{"ShardIterator":"it-1"}""") };
        using var client = fake.NewClient();

        await client.GetShardIteratorAsync("orders", "shardId-000000000001", Aws.Kinesis.KinesisShardIteratorType.TrimHorizon);

        var sent = fake.Requests.Single();
        var headers = sent.Message.Headers;
        var authorization = headers.GetValues("Authorization").Single();
        var amzDate = headers.GetValues("X-Amz-Date").Single();
        var scheme = authorization[..authorization.IndexOf(' ', StringComparison.Ordinal)];
        var parts = authorization[(scheme.Length + 1)..].Split(", ").Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var signedHeaders = parts["SignedHeaders"].Split(';');
        Assert.Multiple(() =>
        {
            Assert.That(scheme, Is.EqualTo("AWS4-HMAC-SHA256"));
            Assert.That(parts["Credential"], Is.EqualTo($"AKIDEXAMPLE/{amzDate[..8]}/eu-west-1/kinesis/aws4_request"));
            Assert.That(signedHeaders, Is.SupersetOf(new[] { "content-type", "host", "x-amz-date", "x-amz-target", "x-amz-content-sha256" }));
            Assert.That(headers.GetValues("X-Amz-Content-SHA256").Single(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(sent.Body))));
        });

        var values = signedHeaders.Select(name => (name, name switch
        {
            "host" => sent.Message.RequestUri!.Authority,
            "content-type" => sent.Message.Content!.Headers.GetValues("Content-Type").Single(),
            _ => headers.GetValues(name).Single(),
        })).ToList();
        var expected = ReferenceSigV4.Signature("POST", "/", "", values, sent.Body, amzDate, "eu-west-1", "kinesis", FakeKinesis.SecretKey);
        Assert.That(parts["Signature"], Is.EqualTo(expected));
    }
}

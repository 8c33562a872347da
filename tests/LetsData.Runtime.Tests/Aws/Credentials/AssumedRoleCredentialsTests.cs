using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using LetsData.Runtime.Aws.AwsJson;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Aws.Kinesis;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Reading.S3;
using LetsData.Runtime.Connectors;

// Not ...Tests.Aws.Credentials: a LetsData.Runtime.Tests.Aws namespace would hide LetsData.Runtime.Aws from the tests that name it "Aws.".
namespace LetsData.Runtime.Tests.Credentials;

/// <summary>
/// <c>accessGrantRoleArn</c>: connectors sign with the role's AssumeRole credentials (not the worker's), STS is called
/// with the worker's own keys, the role is assumed again before expiry, and a refusal is a problem naming the field.
/// </summary>
[NonParallelizable] // one test sets AWS_ENDPOINT_URL_STS
public class AssumedRoleCredentialsTests
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/letsdata/ReadInputs";
    private const string WorkerKeyId = "AKIAWORKER0000000001";

    private ManualClock _clock = null!;
    private FakeSts _sts = null!;
    private FakeAwsHttp _s3 = null!;
    private RuntimeCredentials _credentials = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualClock(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));
        _sts = new FakeSts(() => _clock.Now);
        _s3 = new FakeAwsHttp(_ => ObjectResponse("line one\n"));
        _credentials = new RuntimeCredentials(new BasicAWSCredentials(WorkerKeyId, "worker-secret"), c =>
        {
            c.RegionEndpoint = RegionEndpoint.USEast1;
            c.HttpClientFactory = _sts.Http;
        }, _clock);
    }

    [TearDown]
    public void TearDown() => _credentials.Dispose();

    private static Dataset Dataset(string? roleArn, string? externalId = null) => DatasetLoader.Validate(new DatasetConfig
    {
        DatasetName = "Granted1",
        AccessGrantRoleArn = roleArn,
        AccessGrantExternalId = externalId,
        ReadConnector = new ReadConnectorConfig
        {
            ConnectorDestination = "S3", BucketName = "input-bucket", ArtifactFile = "P/P.dll", ReaderType = "Single File Reader",
        },
        WriteConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" },
        ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" },
        ManifestFile = new ManifestFileConfig { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.txt" },
    }, "test", "plugins");

    private static HttpResponseMessage ObjectResponse(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) };
        // The SDK checks a single-part object's body against its ETag (the MD5 in hex).
        response.Headers.ETag = new System.Net.Http.Headers.EntityTagHeaderValue($"\"{Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes))}\"");
        response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        return response;
    }

    // The S3 read connector exactly as a run makes it, with the fake transport in place of the network.
    private S3FileSource ReadConnector(Dataset dataset)
    {
        var problems = new List<string>();
        var source = FileSources.TryCreate(dataset, problems, c =>
        {
            c.ServiceURL = "http://s3.fake.test";
            c.AuthenticationRegion = "us-east-1";
            c.HttpClientFactory = _s3;
            c.ForcePathStyle = true;
        }, _credentials);
        Assert.That(problems, Is.Empty);
        return (S3FileSource)source!;
    }

    private static async Task<string> ReadAllAsync(S3FileSource source)
    {
        await using var stream = await source.OpenReadAsync("a.txt", CancellationToken.None);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [Test]
    public async Task TheReadConnectorSignsWithTheAssumedRolesKeysNotTheWorkers()
    {
        using var source = ReadConnector(Dataset(RoleArn, "ext-42"));

        Assert.That(await ReadAllAsync(source), Is.EqualTo("line one\n"));

        var get = _s3.Requests.Single();
        Assert.That(get.Uri.AbsolutePath, Is.EqualTo("/input-bucket/a.txt"));
        Assert.That(get.SigningKeyId, Is.EqualTo(FakeSts.KeyId(1)));
        var assumeRole = _sts.Http.Requests.Single();
        Assert.That(assumeRole.SigningKeyId, Is.EqualTo(WorkerKeyId), "STS is called with the worker's own credentials");
        var form = System.Web.HttpUtility.ParseQueryString(assumeRole.Body);
        Assert.That(form["Action"], Is.EqualTo("AssumeRole"));
        Assert.That(form["RoleArn"], Is.EqualTo(RoleArn));
        Assert.That(form["RoleSessionName"], Is.EqualTo("letsdata-Granted1"));
        Assert.That(form["ExternalId"], Is.EqualTo("ext-42"));
    }

    [Test]
    public async Task WithoutAGrantTheConnectorSignsWithTheWorkersCredentialsAndStsIsNotCalled()
    {
        using var source = ReadConnector(Dataset(roleArn: null));

        await ReadAllAsync(source);

        Assert.That(_s3.Requests.Single().SigningKeyId, Is.EqualTo(WorkerKeyId));
        Assert.That(_sts.Http.Requests, Is.Empty);
    }

    [Test]
    public async Task TheRoleIsAssumedAgainWhenItsCredentialsNearExpiryAndOnlyThen()
    {
        var dataset = Dataset(RoleArn);
        using var source = ReadConnector(dataset);
        await ReadAllAsync(source);

        // One hour credentials, refreshed 5 minutes before they expire.
        _clock.Now += TimeSpan.FromMinutes(54);
        await ReadAllAsync(source);
        Assert.That(_sts.Http.Requests, Has.Count.EqualTo(1), "still valid for 6 minutes: no new AssumeRole");

        _clock.Now += TimeSpan.FromMinutes(2);
        await ReadAllAsync(source);

        Assert.That(_sts.Http.Requests, Has.Count.EqualTo(2));
        Assert.That(_s3.Requests.Select(r => r.SigningKeyId), Is.EqualTo(new[] { FakeSts.KeyId(1), FakeSts.KeyId(1), FakeSts.KeyId(2) }));
        Assert.That(_credentials.Assumed(dataset.AccessGrant!).AssumeRoleCount, Is.EqualTo(2));
    }

    [Test]
    public async Task ShortLivedCredentialsAreRefreshedHalfWayRatherThanOnEveryCall()
    {
        var sts = new FakeSts(() => _clock.Now) { Lifetime = TimeSpan.FromMinutes(8) };
        using var credentials = new AssumedRoleCredentials(
            new Amazon.SecurityToken.AmazonSecurityTokenServiceClient(new BasicAWSCredentials(WorkerKeyId, "s"),
                new Amazon.SecurityToken.AmazonSecurityTokenServiceConfig { RegionEndpoint = RegionEndpoint.USEast1, HttpClientFactory = sts.Http }),
            new AccessGrant(RoleArn, null, "letsdata-Short"), ownsSts: true, _clock);

        Assert.That((await credentials.GetCredentialsAsync()).AccessKey, Is.EqualTo(FakeSts.KeyId(1)));
        _clock.Now += TimeSpan.FromMinutes(3);
        Assert.That((await credentials.GetCredentialsAsync()).AccessKey, Is.EqualTo(FakeSts.KeyId(1)));
        _clock.Now += TimeSpan.FromMinutes(1);
        Assert.That(credentials.GetCredentials().AccessKey, Is.EqualTo(FakeSts.KeyId(2)));
        Assert.That(sts.Http.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task TheKinesisClientSignsEachRequestWithTheCurrentAssumedKeys()
    {
        var dataset = Dataset(RoleArn);
        var kinesisHttp = new FakeAwsHttp(_ => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent("""{"StreamDescriptionSummary":{"StreamName":"s1","StreamARN":"arn:aws:kinesis:us-east-1:123456789012:stream/s1","StreamStatus":"ACTIVE","OpenShardCount":1}}"""),
        });
        using var kinesis = KinesisClient.Create(new AwsJsonClientOptions
        {
            Credentials = _credentials.For(dataset),
            InnerHandler = kinesisHttp.CreateHandler(),
            Region = RegionEndpoint.USEast1,
            Endpoint = new Uri("http://kinesis.fake.test/"),
        });

        await kinesis.DescribeStreamSummaryAsync("s1");
        _clock.Now += TimeSpan.FromMinutes(56);
        await kinesis.DescribeStreamSummaryAsync("s1");

        Assert.That(kinesisHttp.Requests.Select(r => r.SigningKeyId), Is.EqualTo(new[] { FakeSts.KeyId(1), FakeSts.KeyId(2) }));
    }

    [Test]
    public void ARefusedAssumeRoleIsAProblemNamingAccessGrantRoleArn()
    {
        _sts.RefuseWith = "AccessDenied";
        var problems = new List<string>();

        Assert.That(_credentials.TryAssume(Dataset(RoleArn, "ext-42"), problems), Is.False);

        Assert.That(problems.Single(), Does.StartWith($"accessGrantRoleArn: STS AssumeRole of {RoleArn} failed: AccessDenied: User: arn:aws:iam::111122223333:user/worker is not authorized"));
        Assert.That(problems.Single(), Does.Contain("accessGrantExternalId"));
    }

    [Test]
    public void AConnectorMeetingARefusalMidRunFailsWithTheSameMessage()
    {
        _sts.RefuseWith = "AccessDenied";
        using var source = ReadConnector(Dataset(RoleArn));

        var error = Assert.CatchAsync(() => ReadAllAsync(source));

        Assert.That(error, Is.InstanceOf<AccessGrantException>().Or.InnerException.InstanceOf<AccessGrantException>());
        Assert.That(error!.ToString(), Does.Contain($"accessGrantRoleArn: STS AssumeRole of {RoleArn} failed: AccessDenied"));
        Assert.That(_s3.Requests, Is.Empty, "nothing is sent unsigned or with other keys");
    }

    [Test]
    public void ADatasetWithoutAGrantNeedsNoAssumeRole()
    {
        var problems = new List<string>();

        Assert.That(_credentials.TryAssume(Dataset(roleArn: null), problems), Is.True);
        Assert.That(problems, Is.Empty);
        Assert.That(_sts.Http.Requests, Is.Empty);
    }

    [Test]
    public void TheStsEndpointVariableIsHonoured()
    {
        Environment.SetEnvironmentVariable(RuntimeCredentials.StsEndpointVariable, "http://sts.local.test:4599");
        try
        {
            Assert.That(_credentials.TryAssume(Dataset(RoleArn), []), Is.True);
        }
        finally
        {
            Environment.SetEnvironmentVariable(RuntimeCredentials.StsEndpointVariable, null);
        }

        Assert.That(_sts.Http.Requests.Single().Uri.Authority, Is.EqualTo("sts.local.test:4599"));
    }

    [Test]
    public void OneAssumedRoleIsSharedByEveryClientOfTheRole()
    {
        var dataset = Dataset(RoleArn);

        Assert.That(_credentials.For(dataset), Is.SameAs(_credentials.For(Dataset(RoleArn))));
        Assert.That(_credentials.For(dataset), Is.InstanceOf<AssumedRoleCredentials>());
    }
}

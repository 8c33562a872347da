using System.Net;
using System.Text;
using Amazon.Runtime;
using Amazon.S3.Model;
using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Credentials;

// Not ...Tests.Aws.Credentials: a LetsData.Runtime.Tests.Aws namespace would hide LetsData.Runtime.Aws from the tests that name it "Aws.".
namespace LetsData.Runtime.Tests.Credentials;

/// <summary>
/// Start-up capture: environment credentials are copied into memory, the variables are gone from the environment
/// afterwards, and clients made from the captured credentials still sign with them.
/// </summary>
[NonParallelizable] // changes this process's environment
public class WorkerCredentialsTests
{
    private Dictionary<string, string?> _saved = [];

    [SetUp]
    public void SaveEnvironment() =>
        _saved = WorkerCredentials.ScrubbedVariables.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    [TearDown]
    public void RestoreEnvironment()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    [Test]
    public async Task EnvironmentCredentialsAreHeldInMemoryAndScrubbedFromTheEnvironment()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "AKIACAPTURED00000001");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "captured-secret");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);

        var captured = WorkerCredentials.CaptureAndScrub();

        Assert.That(Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY"), Is.Null);
        Assert.That(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"), Is.Null);
        Assert.That(Environment.GetEnvironmentVariables().Keys.Cast<string>(), Has.None.StartsWith("AWS_SECRET"));
        Assert.That(captured.Source, Is.EqualTo("environment"));
        Assert.That(captured.Credentials, Is.InstanceOf<BasicAWSCredentials>());
        var keys = await captured.Credentials!.GetCredentialsAsync();
        Assert.That((keys.AccessKey, keys.SecretKey), Is.EqualTo(("AKIACAPTURED00000001", "captured-secret")));

        // A client made after the scrub still signs with the captured keys.
        var http = new FakeAwsHttp(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("x")) });
        using var s3 = S3Clients.Create(true, c =>
        {
            c.ServiceURL = "http://s3.fake.test";
            c.AuthenticationRegion = "us-east-1";
            c.HttpClientFactory = http;
        }, captured.Credentials);
        using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = "bucket1", Key = "k" });
        Assert.That(http.Requests.Single().SigningKeyId, Is.EqualTo("AKIACAPTURED00000001"));
    }

    [Test]
    public async Task ASessionTokenIsKeptWithTheKeysAndScrubbedToo()
    {
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "ASIACAPTURED0000002");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "captured-secret-2");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", "captured-token");
        Environment.SetEnvironmentVariable("AWS_SECURITY_TOKEN", "captured-token");

        var captured = WorkerCredentials.CaptureAndScrub();

        Assert.That(WorkerCredentials.ScrubbedVariables.Select(Environment.GetEnvironmentVariable), Is.All.Null);
        Assert.That(captured.Credentials, Is.InstanceOf<SessionAWSCredentials>());
        Assert.That((await captured.Credentials!.GetCredentialsAsync()).Token, Is.EqualTo("captured-token"));
    }
}

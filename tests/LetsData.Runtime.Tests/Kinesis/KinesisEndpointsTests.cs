using Amazon;
using LetsData.Runtime.Aws.Kinesis;

namespace LetsData.Runtime.Tests.Kinesis;

[NonParallelizable]
public class KinesisEndpointsTests
{
    private string? _service;
    private string? _global;

    [SetUp]
    public void SaveTheEnvironment()
    {
        _service = Environment.GetEnvironmentVariable(KinesisEndpoints.ServiceVariable);
        _global = Environment.GetEnvironmentVariable(KinesisEndpoints.GlobalVariable);
    }

    [TearDown]
    public void RestoreIt()
    {
        Environment.SetEnvironmentVariable(KinesisEndpoints.ServiceVariable, _service);
        Environment.SetEnvironmentVariable(KinesisEndpoints.GlobalVariable, _global);
    }

    [Test]
    public void The_service_variable_wins_over_the_global_one_which_wins_over_the_regional_endpoint()
    {
        Environment.SetEnvironmentVariable(KinesisEndpoints.ServiceVariable, "http://127.0.0.1:4567");
        Environment.SetEnvironmentVariable(KinesisEndpoints.GlobalVariable, "http://127.0.0.1:9999");
        Assert.That(KinesisEndpoints.Resolve(RegionEndpoint.EUWest1), Is.EqualTo(new Uri("http://127.0.0.1:4567")));

        Environment.SetEnvironmentVariable(KinesisEndpoints.ServiceVariable, null);
        Assert.That(KinesisEndpoints.Resolve(RegionEndpoint.EUWest1), Is.EqualTo(new Uri("http://127.0.0.1:9999")));

        Environment.SetEnvironmentVariable(KinesisEndpoints.GlobalVariable, null);
        Assert.Multiple(() =>
        {
            Assert.That(KinesisEndpoints.Resolve(RegionEndpoint.EUWest1), Is.EqualTo(new Uri("https://kinesis.eu-west-1.amazonaws.com/")));
            Assert.That(KinesisEndpoints.Resolve(RegionEndpoint.CNNorth1), Is.EqualTo(new Uri("https://kinesis.cn-north-1.amazonaws.com.cn/")));
        });
    }

    [Test]
    public void An_endpoint_variable_that_is_not_a_URL_is_an_error_naming_it()
    {
        Environment.SetEnvironmentVariable(KinesisEndpoints.ServiceVariable, "not a url");
        Assert.That(() => KinesisEndpoints.Resolve(RegionEndpoint.EUWest1),
            Throws.InvalidOperationException.With.Message.Contain("not a url").And.Message.Contain(KinesisEndpoints.ServiceVariable));
    }
}

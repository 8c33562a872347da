using LetsData.Runtime.Hosting;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary><c>run</c>'s metrics options.</summary>
public class MetricsCommandLineTests
{
    [Test]
    public void MetricsPortAndLinger_AreRead()
    {
        var commandLine = CommandLine.TryParse(["run", "--dataset", "d.json", "--metrics-port", "9464", "--metrics-linger-seconds", "2.5"], out var error);

        Assert.That(error, Is.Null);
        Assert.That(commandLine!.MetricsPort, Is.EqualTo(9464));
        Assert.That(commandLine.MetricsLingerSeconds, Is.EqualTo(2.5));
    }

    [TestCase("--metrics-port", "0", "port number")]
    [TestCase("--metrics-port", "65536", "port number")]
    [TestCase("--metrics-port", "-1", "port number")]
    [TestCase("--metrics-linger-seconds", "-3", "number of seconds")]
    public void ABadValue_IsAnError(string option, string value, string expected)
    {
        var commandLine = CommandLine.TryParse(["run", "--dataset", "d.json", "--metrics-port", "9464", option, value], out var error);

        Assert.That(commandLine, Is.Null);
        Assert.That(error, Does.Contain(expected));
    }

    [Test]
    public void LingerWithoutAPort_IsAnError()
    {
        var commandLine = CommandLine.TryParse(["run", "--dataset", "d.json", "--metrics-linger-seconds", "3"], out var error);

        Assert.That(commandLine, Is.Null);
        Assert.That(error, Does.Contain("give --metrics-port too"));
    }

    [Test]
    public void MetricsOptions_BelongToRunOnly()
    {
        Assert.That(CommandLine.TryParse(["validate", "--dataset", "d.json", "--metrics-port", "9464"], out var error), Is.Null);
        Assert.That(error, Does.Contain("unknown option --metrics-port"));
    }
}

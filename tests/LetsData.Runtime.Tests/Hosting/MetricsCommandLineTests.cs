using LetsData.Runtime.Hosting;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary><c>run</c>'s metrics and status page options, and <c>ui</c>'s port.</summary>
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
        Assert.That(error, Does.Contain("give one of them too"));
    }

    [Test]
    public void UiPort_IsRead_AndLingerWorksWithItAlone()
    {
        var commandLine = CommandLine.TryParse(["run", "--dataset", "d.json", "--ui", "7071", "--metrics-linger-seconds", "3"], out var error);

        Assert.That(error, Is.Null);
        Assert.That((commandLine!.UiPort, commandLine.MetricsPort, commandLine.MetricsLingerSeconds), Is.EqualTo(((int?)7071, (int?)null, 3.0)));
    }

    [Test]
    public void UiCommand_DefaultsToPort7070_AndTakesPort()
    {
        var plain = CommandLine.TryParse(["ui", "--dataset", "d.json"], out _);
        var given = CommandLine.TryParse(["ui", "--dataset", "d.json", "--port", "8081", "--task-table", "t"], out var error);

        Assert.That(error, Is.Null);
        Assert.That((plain!.Command, plain.UiPort), Is.EqualTo(("ui", (int?)CommandLine.DefaultUiPort)));
        Assert.That((given!.UiPort, given.TaskTable), Is.EqualTo(((int?)8081, "t")));
        Assert.That(CommandLine.TryParse(["ui", "--dataset", "d.json", "--port", "x"], out error), Is.Null);
        Assert.That(error, Is.EqualTo("--port must be a port number (1 to 65535), not 'x'"));
    }

    [Test]
    public void TheSamePortForMetricsAndUi_IsAnError()
    {
        Assert.That(CommandLine.TryParse(["run", "--dataset", "d.json", "--ui", "9464", "--metrics-port", "9464"], out var error), Is.Null);
        Assert.That(error, Does.Contain("both name port 9464"));
    }

    [Test]
    public void MetricsOptions_BelongToRunOnly()
    {
        Assert.That(CommandLine.TryParse(["validate", "--dataset", "d.json", "--metrics-port", "9464"], out var error), Is.Null);
        Assert.That(error, Does.Contain("unknown option --metrics-port"));
        Assert.That(CommandLine.TryParse(["validate", "--dataset", "d.json", "--ui", "9464"], out error), Is.Null);
        Assert.That(error, Does.Contain("unknown option --ui"));
    }
}

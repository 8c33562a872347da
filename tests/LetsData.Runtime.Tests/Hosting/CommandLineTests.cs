using LetsData.Runtime.Hosting;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary>Help per command, and options that contradict each other.</summary>
public class CommandLineTests
{
    [Test]
    public void HelpAfterACommand_ShowsThatCommandsSynopsisAndOptionsOnly()
    {
        var help = CommandLine.HelpFor(["run", "--dataset", "d.json", "--help"])!;

        Assert.That(help, Does.Contain("letsdata run ").And.Contain("--max-task-seconds S").And.Contain("--lease-seconds S").And.Contain("Exit codes"));
        Assert.That(help, Does.Not.Contain("letsdata validate").And.Not.Contain("--status S"));
    }

    [Test]
    public void HelpOfATwoWordCommand_ShowsItsOwnOptions()
    {
        var help = CommandLine.HelpFor(["tasks", "list", "-h"])!;

        Assert.That(help, Does.Contain("letsdata tasks list").And.Contain("--status S").And.Contain("--json"));
        Assert.That(help, Does.Not.Contain("--max-task-seconds").And.Not.Contain("letsdata tasks show"));
    }

    [Test]
    public void NoHelpAsked_IsNull_AndBareHelpIsTheWholeUsage()
    {
        Assert.That(CommandLine.HelpFor(["run", "--dataset", "d.json"]), Is.Null);
        Assert.That(CommandLine.HelpFor(["--help"]), Is.EqualTo(CommandLine.Usage));
        Assert.That(CommandLine.HelpFor([]), Is.EqualTo(CommandLine.Usage));
    }

    [Test]
    public void StateAndTaskTableTogether_IsAnError()
    {
        Assert.That(CommandLine.TryParse(["run", "--dataset", "d.json", "--state", "s", "--task-table", "t"], out var error), Is.Null);
        Assert.That(error, Is.EqualTo("--state and --task-table name two different task stores; give one"));
    }

    [Test]
    public void CreateDestinations_IsARunOption_ShownInItsHelp()
    {
        Assert.That(CommandLine.TryParse(["run", "--dataset", "d.json", "--create-destinations"], out _)!.CreateDestinations, Is.True);
        Assert.That(CommandLine.TryParse(["run", "--dataset", "d.json"], out _)!.CreateDestinations, Is.False);
        Assert.That(CommandLine.TryParse(["validate", "--dataset", "d.json", "--create-destinations"], out _), Is.Null);
        Assert.That(CommandLine.HelpFor(["run", "--help"]), Does.Contain("--create-destinations  run: create the write connector's Kinesis stream"));
    }
}

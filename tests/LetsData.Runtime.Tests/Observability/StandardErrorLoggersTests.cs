using System.Text.RegularExpressions;
using LetsData.Runtime.Observability.Logging;
using Microsoft.Extensions.Logging;

namespace LetsData.Runtime.Tests.Observability;

/// <summary>The worker's log lines: one per entry, the same shape in the supervisor and in the data-task processes.</summary>
public sealed class StandardErrorLoggersTests
{
    [Test]
    public void AnEntry_IsOneLine_WithTimeLevelCategoryAndEventId()
    {
        var error = new StringWriter();
        using var loggers = new StandardErrorLoggers(error);
        loggers.CreateLogger("LetsData.Runtime.Hosting.RunCommand").LogWarning(new EventId(7), "task {TaskId}:\nsecond line", "task-0001");

        Assert.That(error.ToString(), Does.Match(@"^\d\d:\d\d:\d\d warn: LetsData\.Runtime\.Hosting\.RunCommand\[7\] task task-0001: second line\n$"));
    }

    [Test]
    public void AnException_FollowsTheMessage_OnTheSameLine()
    {
        var error = new StringWriter();
        using var loggers = new StandardErrorLoggers(error);
        Exception thrown;
        try
        {
            throw new InvalidOperationException("it broke");
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        loggers.CreateLogger("C").LogError(thrown, "failed");

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), error.ToString());
        Assert.That(lines[0], Does.Contain("fail: C[0] failed System.InvalidOperationException: it broke"));
        Assert.That(lines[0], Does.Contain(nameof(AnException_FollowsTheMessage_OnTheSameLine)), "the stack trace is kept, folded into the line");
    }

    [Test]
    public void EntriesBelowTheMinimum_AreLeftOut()
    {
        var error = new StringWriter();
        using var loggers = new StandardErrorLoggers(error, LogLevel.Information);
        var logger = loggers.CreateLogger("C");
        logger.LogDebug("debug");
        logger.LogTrace("trace");
        logger.LogInformation("info");

        Assert.That(logger.IsEnabled(LogLevel.Debug), Is.False);
        Assert.That(logger.IsEnabled(LogLevel.None), Is.False);
        Assert.That(Regex.Matches(error.ToString(), "\n").Count, Is.EqualTo(1));
        Assert.That(error.ToString(), Does.Contain("info: C[0] info"));
    }

    [Test]
    public void LinesFromManyThreads_StayWhole()
    {
        var error = new StringWriter();
        using var loggers = new StandardErrorLoggers(error);
        var logger = loggers.CreateLogger("C");
        Parallel.For(0, 400, i => logger.LogInformation("entry {Number} {Padding}", i, new string('x', 200)));

        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(400));
        Assert.That(lines, Has.All.Match(@"^\d\d:\d\d:\d\d info: C\[0\] entry \d+ x{200}$"));
    }
}

using LetsData.Runtime.Testing;

namespace Company.Parser.Tests;

/// <summary>The parser run by the worker's own engine, in memory (LetsData.Testing).</summary>
public sealed class EventLogParserTests
{
    [Test]
    public async Task The_sample_input_gives_three_events_and_one_error()
    {
        var sample = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "events.log");

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new EventLogParser(),
            HarnessFile.FromPath("EVENTLOG", sample));

        Assert.That(result.SerializedDocuments, Has.Count.EqualTo(3));
        Assert.That(result.SerializedDocuments[0], Does.Contain("\"action\":\"login\""));
        Assert.That(result.ErrorDocs, Has.Count.EqualTo(1));
        Assert.That(result.ErrorDocs[0].ErrorMessage, Does.Contain("yesterday-ish"));
    }

    [Test]
    public async Task A_record_without_an_action_is_an_error_document()
    {
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new EventLogParser(),
            HarnessFile.FromText("EVENTLOG", "short.log", "2026-12-07T10:00:00Z\n"));

        Assert.That(result.SerializedDocuments, Is.Empty);
        Assert.That(result.ErrorDocs, Has.Count.EqualTo(1));
    }
}

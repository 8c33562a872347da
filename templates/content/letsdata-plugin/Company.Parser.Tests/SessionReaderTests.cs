using LetsData.Runtime.Testing;

namespace Company.Parser.Tests;

/// <summary>The reader run by the worker's own engine, in memory (LetsData.Testing).</summary>
public sealed class SessionReaderTests
{
    [Test]
    public async Task The_sample_input_gives_one_session_and_one_error()
    {
        var sample = Path.Combine(TestContext.CurrentContext.TestDirectory, "data", "events.log");

        var result = await LetsDataTestHarness.RunSingleFileStateMachineReaderAsync(() => new SessionReader(),
            HarnessFile.FromPath(SessionReader.FileType, sample));

        Assert.That(result.SerializedDocuments, Has.Count.EqualTo(1));
        Assert.That(result.SerializedDocuments[0], Does.Contain("\"user\":\"user=alice\"").And.Contain("\"action\":\"logout\""));
        Assert.That(result.ErrorDocs, Has.Count.EqualTo(1));
        Assert.That(result.ErrorDocs[0].ErrorMessage, Does.Contain("yesterday-ish"));
    }

    [Test]
    public async Task Events_after_the_last_logout_are_a_session_of_their_own()
    {
        var result = await LetsDataTestHarness.RunSingleFileStateMachineReaderAsync(() => new SessionReader(),
            HarnessFile.FromText(SessionReader.FileType, "two.log",
                "2026-12-07T10:00:00Z login user=alice\n2026-12-07T10:00:01Z logout\n2026-12-07T10:00:02Z login user=bob\n"));

        Assert.That(result.SerializedDocuments, Has.Count.EqualTo(2));
        Assert.That(result.SerializedDocuments[1], Does.Contain("user=bob"));
        Assert.That(result.ErrorDocs, Is.Empty);
    }
}

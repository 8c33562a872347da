using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Reading;

/// <summary>The LocalFiles read connector: files relative to the root folder, through the same engine path.</summary>
public class LocalFileSourceTests
{
    private const string WarcStart = "WARC/1.0\r\n";

    private static Task<EngineRun> RunAsync(RecordingParser parser, params string[] fileNames) =>
        EngineRun.RunAsync(new SingleFileReaderBinding("local", () => parser),
            new LocalFileSource(Path.Combine(TestContext.CurrentContext.TestDirectory, "Data")),
            EngineRun.OneTaskPerFile(fileNames));

    [Test]
    public async Task AFileOnDiskIsReadDecompressedAndCounted()
    {
        var parser = new RecordingParser("WARC", WarcStart, WarcStart);
        var compressed = TestData.Read("whirlwind.warc.gz");
        var decompressed = TestData.Gunzip(compressed);

        var run = await RunAsync(parser, "whirlwind.warc.gz");

        var task = run.Task("task-0001");
        Assert.That(task.ErrorMessage, Is.Null);
        Assert.That(parser.Seen.Select(s => s.Offset),
            Is.EqualTo(TestData.IndexesOf(decompressed, TestData.Utf8(WarcStart)).Select(i => (long)i)));
        Assert.That(task.Counters.Records, Is.EqualTo(4));
        Assert.That(task.Counters.Documents, Is.EqualTo(4));
        Assert.That(task.Counters.BytesScanned, Is.EqualTo(decompressed.Length));
        Assert.That(task.Counters.BytesRead, Is.EqualTo(compressed.Length));
    }

    [Test]
    public async Task AMissingFileFailsItsTaskNamingThePath()
    {
        var run = await RunAsync(new RecordingParser("WARC", WarcStart, WarcStart), "no-such-file.warc.gz");

        var task = run.Task("task-0001");
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Does.Contain(Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "no-such-file.warc.gz")));
    }
}

using LetsData.Plugins.Samples.CommonCrawl;
using LetsData.Plugins.Samples.Tests.CommonCrawl;
using LetsData.Plugins.Samples.Tests.Support;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Plugins.Samples.WetText;
using LetsData.Runtime.Testing;

namespace LetsData.Plugins.Samples.Tests.Checkpoints;

/// <summary>
/// The samples resumed from their checkpoints, as a new worker would after a crash: each resumed run writes exactly
/// what an undisturbed run writes after the same checkpoint (gzip files reopened mid-file included).
/// </summary>
public class ResumeFromCheckpointTests
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(300);

    [TestCase(true)]
    [TestCase(false)]
    public async Task CommonCrawlReader_ResumesExactly_FromCheckpointsAcrossGapsAndCorruptions(bool gzip)
    {
        var (_, files) = GeneratedCorpusTests.Generate(new CorpusOptions(Urls: 400, Seed: 11, WetGapRate: 0.05, Corruptions: 6, Gzip: gzip));

        var check = await LetsDataTestHarness.CheckMultipleFileStateMachineReaderResumeAsync(() => new CommonCrawlReader(),
            everyRecords: 97, maxResumes: 12, files).WaitAsync(NoHang);

        Assert.That(check.Checkpoints, Is.GreaterThan(20), "a checkpoint every 97 records over ~3,000 records");
        Assert.That(check.Resumed, Is.EqualTo(12));
        Assert.That(check.Mismatches, Is.Empty);
    }

    [Test]
    public async Task CommonCrawlReader_ResumesExactly_WhenTheWetFileEndsEarly()
    {
        var (manifest, files) = GeneratedCorpusTests.Generate(new CorpusOptions(Urls: 120, Seed: 3, WetGapRate: 0.1));
        files[2] = files[2] with { Content = files[2].Content[..(files[2].Content.Length / 2)] };

        var check = await LetsDataTestHarness.CheckMultipleFileStateMachineReaderResumeAsync(() => new CommonCrawlReader(),
            everyRecords: 50, maxResumes: 10, files).WaitAsync(NoHang);

        Assert.That(manifest.Urls, Has.Count.EqualTo(120));
        Assert.That(check.Checkpoints, Is.GreaterThan(5));
        Assert.That(check.Mismatches, Is.Empty);
    }

    [Test]
    public async Task TargetUriExtractor_ResumesExactly_OnTheRealCommonCrawlWarc()
    {
        var file = HarnessFile.FromPath("WARC", TestData.WhirlwindWarc);

        var check = await LetsDataTestHarness.CheckSingleFileParserResumeAsync(() => new TargetUriExtractor(), everyRecords: 1, maxResumes: 50, file)
            .WaitAsync(NoHang);

        Assert.That(check.Checkpoints, Is.Positive, "the trio's WARC holds few target URIs: a checkpoint after each");
        Assert.That(check.Mismatches, Is.Empty);
    }

    [Test]
    public async Task TargetUriExtractor_ResumesExactly_OnAGeneratedGzipWarc()
    {
        var (_, files) = GeneratedCorpusTests.Generate(new CorpusOptions(Urls: 300, Seed: 5));

        var check = await LetsDataTestHarness.CheckSingleFileParserResumeAsync(() => new TargetUriExtractor(), everyRecords: 13, maxResumes: 15, files[0])
            .WaitAsync(NoHang);

        Assert.That(check.Checkpoints, Is.GreaterThan(15));
        Assert.That(check.Mismatches, Is.Empty);
    }

    [Test]
    public async Task WetTextParser_ResumesExactly_OnAGeneratedWet()
    {
        var (_, files) = GeneratedCorpusTests.Generate(new CorpusOptions(Urls: 300, Seed: 9, WetGapRate: 0.1));

        var check = await LetsDataTestHarness.CheckSingleFileParserResumeAsync(() => new WetTextParser(), everyRecords: 23, maxResumes: 15, files[2])
            .WaitAsync(NoHang);

        Assert.That(check.Checkpoints, Is.GreaterThan(10));
        Assert.That(check.Mismatches, Is.Empty);
    }

    [Test]
    public async Task CommonCrawlWarcReader_ResumesExactly_OnAGeneratedGzipWarc()
    {
        var (_, files) = GeneratedCorpusTests.Generate(new CorpusOptions(Urls: 300, Seed: 13, Corruptions: 4));

        var check = await LetsDataTestHarness.CheckSingleFileStateMachineReaderResumeAsync(() => new CommonCrawlWarcReader(), everyRecords: 31,
            maxResumes: 15, files[0]).WaitAsync(NoHang);

        Assert.That(check.Checkpoints, Is.GreaterThan(15));
        Assert.That(check.Mismatches, Is.Empty);
    }
}

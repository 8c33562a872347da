using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.Tests.Support;
using LetsData.Plugins.Samples.TargetUris;
using LetsData.Plugins.Samples.WetText;
using LetsData.Runtime.Testing;

namespace LetsData.Plugins.Samples.Tests.Harness;

/// <summary>Several files at once through the worker's engine, one shared parser instance, as [Stateless] allows.</summary>
public class ConcurrentTasksTests
{
    [Test]
    public async Task OneWetTextParserServesManyConcurrentTasks()
    {
        var shared = new WetTextParser();
        var files = new List<HarnessFile> { HarnessFile.FromPath("WET", TestData.WhirlwindWet) };
        var expected = new List<string> { "https://an.wikipedia.org/wiki/Escopete" };
        for (var f = 0; f < 7; f++)
        {
            var builder = new WarcFileBuilder().Record("warcinfo", "isPartOf: test\r\n");
            for (var r = 0; r < 50; r++)
            {
                var url = $"http://f{f}.example/{r}";
                builder.Record("conversion", $"text {f}/{r} ü", $"WARC-Target-URI: {url}");
                expected.Add(url);
            }
            files.Add(new HarnessFile("WET", $"file-{f}.warc.wet", builder.ToArray()));
        }

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => shared, [.. files]);

        Assert.That(result.Tasks, Has.Count.EqualTo(files.Count));
        Assert.That(result.Tasks.Where(t => !t.Succeeded).Select(t => t.ErrorMessage), Is.Empty);
        Assert.That(result.Documents.Select(d => d.DocumentId), Is.EquivalentTo(expected));
        Assert.That(result.ErrorDocs, Is.Empty);
    }

    [Test]
    public async Task TargetUrisOfSeveralWarcFilesInOneRun()
    {
        string[] names = ["warcio-example.warc.gz", "warcio-post-test.warc.gz", "resiliparse-warcfile.warc.gz"];
        var files = names.Select(n => HarnessFile.FromPath("WARC", TestData.Torture(n)))
            .Append(HarnessFile.FromPath("WARC", TestData.WhirlwindWarc))
            .ToArray();

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => new TargetUriExtractor(), files);

        Assert.That(result.Tasks.All(t => t.Succeeded), Is.True);
        Assert.That(result.Documents, Has.Count.EqualTo(2 + 3 + 17 + 1));
        Assert.That(result.SkipCount, Is.Zero);
    }

    [Test]
    public async Task AWetParserGivenAWarcFileFailsTheTaskInsteadOfWritingErrorDocs()
    {
        // The file type is configuration, not data: a mismatch must be loud.
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(
            () => (ISingleFileParser)new WetTextParser(), HarnessFile.FromPath("WARC", TestData.WhirlwindWarc));

        Assert.That(result.Tasks.Single().Succeeded, Is.False);
        Assert.That(result.Tasks.Single().ErrorMessage, Does.Contain("WET"));
        Assert.That(result.ErrorDocs, Is.Empty);
    }
}

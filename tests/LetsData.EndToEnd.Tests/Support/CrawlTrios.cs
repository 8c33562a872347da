using System.Globalization;
using LetsData.Plugins.Samples.Tests.CommonCrawl;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>Generated Common Crawl input for the crash tests: what was written and the manifest that reads it.</summary>
/// <param name="Manifest">One <c>WARC:…|WAT:…|WET:…</c> line per trio, in order (task-0001 is the first).</param>
/// <param name="Trios">The generator's ground truth per trio.</param>
internal sealed record CrawlTrios(string Manifest, IReadOnlyList<CorpusManifest> Trios)
{
    /// <summary>
    /// Writes <paramref name="count"/> gzip trios <c>trio-NN.warc.gz</c>, <c>.warc.wat.gz</c>, <c>.warc.wet.gz</c> into
    /// <paramref name="directory"/>, of <paramref name="urls"/> generated pages and more (so tasks end at different
    /// times), with WET gaps (skips) and corrupted records (error records) at seeded places.
    /// </summary>
    public static CrawlTrios Write(string directory, int count, int urls, int seed)
    {
        var lines = new List<string>(count);
        var trios = new List<CorpusManifest>(count);
        for (var i = 0; i < count; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"trio-{i + 1:D2}");
            using var warc = File.Create(Path.Combine(directory, name + ".warc.gz"));
            using var wat = File.Create(Path.Combine(directory, name + ".warc.wat.gz"));
            using var wet = File.Create(Path.Combine(directory, name + ".warc.wet.gz"));
            // Generated pages (no HTML folder): the same input on every machine.
            var options = new CorpusOptions(urls + (i * urls / 4), Seed: seed + i, WetGapRate: 0.05, Corruptions: 2 + (i % 3), HtmlDirectory: null);
            trios.Add(CommonCrawlCorpus.Write(options, new BufferedStream(warc, 1 << 20), new BufferedStream(wat, 1 << 20),
                new BufferedStream(wet, 1 << 20)));
            lines.Add($"WARC:{name}.warc.gz|WAT:{name}.warc.wat.gz|WET:{name}.warc.wet.gz");
        }

        return new CrawlTrios(string.Join('\n', lines), trios);
    }

    /// <summary>The name of the <paramref name="index"/>th trio's output files: its task id and its WARC file's stem.</summary>
    public static string OutputName(int index) => string.Create(CultureInfo.InvariantCulture, $"task-{index + 1:D4}.trio-{index + 1:D2}.warc");

    /// <summary>The task of the <paramref name="index"/>th trio.</summary>
    public static string TaskId(int index) => string.Create(CultureInfo.InvariantCulture, $"task-{index + 1:D4}");

    /// <summary>Documents the sample reader makes of a trio: one per complete URL.</summary>
    public static int Documents(CorpusManifest trio) => trio.Fates.Count(f => f == UrlFate.Complete);

    /// <summary>Error records: one per corrupted URL.</summary>
    public static int Errors(CorpusManifest trio) => trio.Fates.Count(f => f is UrlFate.CorruptWatJson or UrlFate.CorruptWarcStatusLine);
}

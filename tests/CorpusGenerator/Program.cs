using System.Globalization;
using System.Text.Json;
using LetsData.Plugins.Samples.Tests.CommonCrawl;

// Usage: CorpusGenerator --out DIR [--urls N] [--seed S] [--wet-gap-rate R] [--corruptions C] [--plain]
// Writes DIR/corpus.warc.gz, corpus.warc.wat.gz, corpus.warc.wet.gz (one gzip member per record) and
// DIR/corpus.manifest.json: every URL in order with its fate (Complete, WetGap, CorruptWatJson, CorruptWarcStatusLine).
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--plain")
    {
        options["plain"] = "true";
    }
    else if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
    {
        options[args[i][2..]] = args[++i];
    }
}

if (!options.TryGetValue("out", out var outDir))
{
    Console.Error.WriteLine("usage: CorpusGenerator --out DIR [--urls N] [--seed S] [--wet-gap-rate R] [--corruptions C] [--plain]");
    return 2;
}

var corpus = new CorpusOptions(
    Urls: int.Parse(options.GetValueOrDefault("urls", "1000"), CultureInfo.InvariantCulture),
    Seed: int.Parse(options.GetValueOrDefault("seed", "1"), CultureInfo.InvariantCulture),
    WetGapRate: double.Parse(options.GetValueOrDefault("wet-gap-rate", "0"), CultureInfo.InvariantCulture),
    Corruptions: int.Parse(options.GetValueOrDefault("corruptions", "0"), CultureInfo.InvariantCulture),
    Gzip: !options.ContainsKey("plain"));
Directory.CreateDirectory(outDir);
var suffix = corpus.Gzip ? ".gz" : "";
CorpusManifest manifest;
using (var warc = File.Create(Path.Combine(outDir, "corpus.warc" + suffix)))
using (var wat = File.Create(Path.Combine(outDir, "corpus.warc.wat" + suffix)))
using (var wet = File.Create(Path.Combine(outDir, "corpus.warc.wet" + suffix)))
{
    manifest = CommonCrawlCorpus.Write(corpus, new BufferedStream(warc, 1 << 20), new BufferedStream(wat, 1 << 20), new BufferedStream(wet, 1 << 20));
}

await using (var json = File.Create(Path.Combine(outDir, "corpus.manifest.json")))
{
    await JsonSerializer.SerializeAsync(json, new
    {
        manifest.WarcBytes,
        manifest.WatBytes,
        manifest.WetBytes,
        manifest.HtmlSources,
        Urls = manifest.Urls.Select((url, i) => new { url, fate = manifest.Fates[i].ToString() }),
    });
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{manifest.Urls.Count} URLs from {manifest.HtmlSources} HTML pages; uncompressed WARC {manifest.WarcBytes / 1e6:F1} MB, WAT {manifest.WatBytes / 1e6:F1} MB, WET {manifest.WetBytes / 1e6:F1} MB; " +
    $"WET gaps {manifest.Fates.Count(f => f == UrlFate.WetGap)}, corruptions {manifest.Fates.Count(f => f is UrlFate.CorruptWatJson or UrlFate.CorruptWarcStatusLine)}"));
return 0;

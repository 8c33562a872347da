using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Plugins.Samples.CommonCrawl;
using LetsData.Runtime.Testing;

namespace LetsData.Plugins.Samples.Tests.CommonCrawl;

/// <summary>The multi-file reader over generated corpora: alignment after gaps, errors exactly at corruptions, bad input.</summary>
public class GeneratedCorpusTests
{
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(120);

    [Test]
    public async Task ThousandsOfUrlsWithGapsAndCorruptionsStayAligned()
    {
        var (manifest, files) = Generate(new CorpusOptions(Urls: 1500, Seed: 7, WetGapRate: 0.04, Corruptions: 12));
        Assert.That(manifest.HtmlSources, Is.GreaterThan(0), "real HTML pages from /usr/share/doc were used");
        Assert.That(manifest.Fates.Count(f => f == UrlFate.WetGap), Is.GreaterThan(20));

        var result = await Run(files).WaitAsync(NoHang);

        Assert.That(result.Tasks.Single().Succeeded, Is.True, () => result.Tasks[0].ErrorMessage ?? "");
        var expected = Enumerable.Range(0, manifest.Urls.Count).Where(i => manifest.Fates[i] == UrlFate.Complete).ToList();
        var documents = result.Documents.Cast<IndexRecord>().ToList();
        Assert.That(documents.Select(d => d.Url), Is.EqualTo(expected.Select(i => manifest.Urls[i])), "one document per complete URL, in order");
        Assert.That(documents.Select(d => d.Title), Is.EqualTo(expected.Select(i => manifest.Titles[i])), "each document holds its own URL's metadata");
        Assert.That(documents.Select(d => d.Canonical), Is.EqualTo(documents.Select(d => d.Url)));
        Assert.That(documents, Has.All.Matches<IndexRecord>(d => d.DocTextContentLength > 0 && d.Languages.SequenceEqual(new[] { "eng" })
                                                                 && d.Charset == "utf-8" && d.ContentType == "text/html; charset=UTF-8"));
        var corrupted = Enumerable.Range(0, manifest.Urls.Count).Where(i => manifest.Fates[i] is UrlFate.CorruptWatJson or UrlFate.CorruptWarcStatusLine).ToList();
        var errorUrls = result.ErrorDocs.Cast<CommonCrawlErrorDoc>().Select(e => e.TargetUri).Distinct().ToList();
        Assert.That(errorUrls, Is.EqualTo(corrupted.Select(i => manifest.Urls[i])), "an ERROR exactly at each corruption");
        Assert.That(result.ErrorDocs, Has.Count.EqualTo(corrupted.Count), "one error document per corrupted record");
        Assert.That(result.ErrorDocs, Has.All.Matches<IErrorDoc>(e => e.ErrorStartOffsetMap!.Count == 3 && e.ErrorEndOffsetMap!.Count == 3));
        foreach (var i in corrupted)
        {
            var message = result.ErrorDocs.Cast<CommonCrawlErrorDoc>().Single(e => e.TargetUri == manifest.Urls[i]).ErrorMessage;
            Assert.That(message, Does.Contain(manifest.Fates[i] == UrlFate.CorruptWatJson ? "WAT record" : "is not an HTTP status line"));
        }

        Assert.That(result.SkipCount, Is.EqualTo(manifest.Fates.Count(f => f == UrlFate.WetGap)), "a SKIP exactly at each WET gap");
    }

    [Test]
    public async Task WetGapAtTheEndSkipsTheRestAndCompletes()
    {
        // Drop the last five WET records by cutting the WET file after the 15th conversion.
        var (manifest, files) = Generate(new CorpusOptions(Urls: 20, Gzip: false),
            (type, i, warcType, record) => type == "WET" && i >= 15 ? [] : record);

        var result = await Run(files).WaitAsync(NoHang);

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(result.Documents.Cast<IndexRecord>().Select(d => d.Url), Is.EqualTo(manifest.Urls.Take(15)));
        Assert.That(result.SkipCount, Is.EqualTo(5));
        Assert.That(result.ErrorRecords, Is.Empty);
    }

    [Test]
    public async Task GarbageBetweenRecordsIsIgnored()
    {
        var (manifest, files) = Generate(new CorpusOptions(Urls: 30, Gzip: false), (type, i, warcType, record) =>
            i % 7 == 3 ? [.. record, .. "\0\u0001 junk that is not a record WARC/1.0 no\r\n\r\n"u8] : record);

        var result = await Run(files).WaitAsync(NoHang);

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(result.ErrorRecords, Is.Empty);
        Assert.That(result.Documents.Cast<IndexRecord>().Select(d => d.Url), Is.EqualTo(manifest.Urls));
    }

    [Test]
    public async Task ContentLengthBeyondTheEndOfTheFileIsAnErrorForTheLastUrl()
    {
        var (manifest, files) = Generate(new CorpusOptions(Urls: 10, Gzip: true), (type, i, warcType, record) =>
            type == "WARC" && i == 9 && warcType == "metadata" ? Replace(record, "Content-Length: ", "Content-Length: 99999") : record);

        var result = await Run(files).WaitAsync(NoHang);

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(result.Documents.Cast<IndexRecord>().Select(d => d.Url), Is.EqualTo(manifest.Urls.Take(9)));
        var error = (CommonCrawlErrorDoc)result.ErrorDocs.Single();
        Assert.That(error.TargetUri, Is.EqualTo(manifest.Urls[9]));
        Assert.That(error.ErrorMessage, Does.Contain("truncated"));
    }

    [Test]
    public async Task RecordWithoutABlankLineAfterItsHeaderIsAnErrorForThatUrlOnly()
    {
        var (manifest, files) = Generate(new CorpusOptions(Urls: 12, Gzip: true), (type, i, warcType, record) =>
            type == "WARC" && i == 4 && warcType == "response" ? Replace(record, "\r\n\r\n", "\r\n") : record);

        var result = await Run(files).WaitAsync(NoHang);

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(result.Documents.Cast<IndexRecord>().Select(d => d.Url), Is.EqualTo(manifest.Urls.Where((_, i) => i != 4)));
        Assert.That(result.ErrorDocs.Cast<CommonCrawlErrorDoc>().Select(e => e.TargetUri).Distinct(), Is.EqualTo(new[] { manifest.Urls[4] }));
    }

    [Test]
    public async Task TruncatedGzipMemberEndsTheTaskWithAClearErrorAfterTheGoodDocuments()
    {
        var (manifest, files) = Generate(new CorpusOptions(Urls: 10, Gzip: true));
        var warc = files[0].Content.ToArray();
        files[0] = files[0] with { Content = warc.AsMemory(0, warc.Length - 40) };

        var result = await Run(files).WaitAsync(NoHang);

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False, "a truncated .gz is a task error, never a silently shorter file");
        Assert.That(task.ErrorMessage, Is.Not.Null.And.Not.Empty);
        Assert.That(result.Documents.Cast<IndexRecord>().Select(d => d.Url), Is.EqualTo(manifest.Urls.Take(result.Documents.Count)));
    }

    [Test]
    public async Task WarcReaderGivesOneResponsePerGroupOverAGeneratedWarc()
    {
        var (manifest, files) = Generate(new CorpusOptions(Urls: 200, Seed: 3, Corruptions: 4));
        var corrupted = Enumerable.Range(0, 200).Where(i => manifest.Fates[i] == UrlFate.CorruptWarcStatusLine).ToList();

        var result = await LetsDataTestHarness.RunSingleFileStateMachineReaderAsync(() => new CommonCrawlWarcReader(), files[0]).WaitAsync(NoHang);

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(result.Documents.Cast<WarcResponseRecord>().Select(d => d.TargetUri),
            Is.EqualTo(manifest.Urls.Where((_, i) => !corrupted.Contains(i))));
        Assert.That(result.ErrorDocs.Cast<CommonCrawlErrorDoc>().Select(e => e.TargetUri), Is.EqualTo(corrupted.Select(i => manifest.Urls[i])));
    }

    internal static (CorpusManifest Manifest, HarnessFile[] Files) Generate(CorpusOptions options, CommonCrawlCorpus.RecordHook? hook = null)
    {
        using var warc = new MemoryStream();
        using var wat = new MemoryStream();
        using var wet = new MemoryStream();
        var manifest = CommonCrawlCorpus.Write(options, warc, wat, wet, hook);
        var suffix = options.Gzip ? ".gz" : "";
        return (manifest, [
            new HarnessFile("WARC", "corpus.warc" + suffix, warc.ToArray()),
            new HarnessFile("WAT", "corpus.warc.wat" + suffix, wat.ToArray()),
            new HarnessFile("WET", "corpus.warc.wet" + suffix, wet.ToArray()),
        ]);
    }

    private static Task<HarnessResult> Run(HarnessFile[] files) =>
        LetsDataTestHarness.RunMultipleFileStateMachineReaderAsync(() => new CommonCrawlReader(), files);

    private static byte[] Replace(byte[] record, string what, string with)
    {
        var text = Encoding.Latin1.GetString(record);
        var at = text.IndexOf(what, StringComparison.Ordinal);
        return Encoding.Latin1.GetBytes(text[..at] + with + text[(at + what.Length)..]);
    }
}

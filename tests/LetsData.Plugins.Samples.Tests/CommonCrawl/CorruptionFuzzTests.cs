using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LetsData.Plugins.Samples.CommonCrawl;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Writing;

namespace LetsData.Plugins.Samples.Tests.CommonCrawl;

/// <summary>
/// Seeded damage to the stored bytes of generated Common Crawl files, read by the multi-file and the WARC-only
/// readers through the worker's engine. Each case compares the damaged run with the undamaged run of the same corpus:
/// bad input never hangs or fails the worker, never misaligns or duplicates a URL, never lends one URL's content to
/// another, and loses nothing that lies wholly before the damage.
/// </summary>
/// <remarks>
/// A record's damage may legitimately change its own document (a flipped byte in a title is still a valid title), so
/// content is compared per file: a document part from a record the damage did not touch must equal the undamaged run's.
/// </remarks>
public partial class CorruptionFuzzTests
{
    // Hang detection only; a run takes well under a second.
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(60);
    private static readonly string[] TrioTypes = ["WARC", "WAT", "WET"];

    [TestCase(101, false, Mutation.FlipBytes)]
    [TestCase(102, false, Mutation.DeleteSpan)]
    [TestCase(103, false, Mutation.InsertGarbage)]
    [TestCase(104, false, Mutation.DuplicateSpan)]
    [TestCase(105, false, Mutation.Truncate)]
    [TestCase(106, false, Mutation.ContentLengthTooLarge)]
    [TestCase(107, false, Mutation.NoBlankLine)]
    [TestCase(108, false, Mutation.FlipBytes)]
    [TestCase(109, false, Mutation.InsertGarbage)]
    [TestCase(110, false, Mutation.DeleteSpan)]
    // Found a bug: a flip in a WAT JSON string made invalid UTF-8, whose read threw past the parser and failed the task.
    [TestCase(2072, false, Mutation.FlipBytes)]
    [TestCase(201, true, Mutation.GzipMemberHeader)]
    [TestCase(202, true, Mutation.GzipMemberBody)]
    [TestCase(203, true, Mutation.GzipMemberTrailer)]
    [TestCase(204, true, Mutation.GzipMemberCut)]
    [TestCase(205, true, Mutation.Truncate)]
    [TestCase(206, true, Mutation.InsertGarbage)]
    [TestCase(207, true, Mutation.DeleteSpan)]
    [TestCase(208, true, Mutation.ContentLengthTooLarge)]
    [TestCase(209, true, Mutation.NoBlankLine)]
    [TestCase(210, true, Mutation.FlipBytes)]
    [TestCase(211, true, Mutation.DuplicateSpan)]
    [TestCase(212, true, Mutation.Truncate)]
    [TestCase(213, true, Mutation.Truncate)]
    [TestCase(214, true, Mutation.Truncate)]
    [TestCase(215, true, Mutation.Truncate)]
    public async Task DamagedTrioStaysAlignedAndKeepsWhatCameBeforeTheDamage(int seed, bool gzip, Mutation mutation)
    {
        var corpus = FuzzCorpus.Create(seed, gzip);
        var clean = await RunTrio(corpus.Files).WaitAsync(NoHang);
        var cleanDocuments = clean.Documents.Cast<IndexRecord>().ToDictionary(d => d.Url, StringComparer.Ordinal);
        Assert.That(clean.Tasks.Single().Succeeded, Is.True, "the undamaged corpus reads cleanly");
        Assert.That(cleanDocuments.Keys, Is.EqualTo(corpus.UrlsWhere(f => f == UrlFate.Complete)), "the undamaged run is the baseline");
        Assert.That(cleanDocuments.Values.Select(d => (d.Title, d.DocText)),
            Is.EqualTo(cleanDocuments.Keys.Select(corpus.IndexOf).Select(i => (corpus.Manifest.Titles[i], corpus.Layout.WetTextOf(i)))),
            "each undamaged document holds its own URL's title and WET text");

        var random = new Random(seed);
        var damagedTypes = TrioTypes.Where(_ => random.Next(2) == 0).DefaultIfEmpty(TrioTypes[random.Next(3)]).ToList();
        var damage = damagedTypes.ToDictionary(t => t, t => CorpusDamage.Apply(mutation, corpus.Content(t), corpus.Layout.Of(t), gzip, random));
        var story = string.Join("; ", damage.Select(d => $"{d.Key}: {d.Value.Description}"));
        var files = corpus.Files.Select(f => damage.TryGetValue(f.FileType, out var d) ? f with { Content = d.Content } : f).ToArray();

        var result = await RunTrio(files).WaitAsync(NoHang);

        var failedAt = AssertEndedOrFailedAtTheDamage(result, corpus, damage, story);
        var documents = result.Documents.Cast<IndexRecord>().ToList();
        AssertInGeneratorOrderAtMostOnce(documents.Select(d => corpus.IndexOf(d.Url)).ToList(), story);
        foreach (var document in documents)
        {
            var index = corpus.IndexOf(document.Url);
            if (!cleanDocuments.TryGetValue(document.Url, out var before))
            {
                Assert.Fail($"{document.Url} has no document in the undamaged run but has one after the damage; {story}");
                return;
            }

            var untouched = TrioTypes.ToDictionary(t => t, t => !corpus.Touched(index, t, damage.GetValueOrDefault(t)));
            Assert.Multiple(() =>
            {
                if (untouched["WAT"])
                {
                    Assert.That(document.Title, Is.EqualTo(corpus.Manifest.Titles[index]), $"title of {document.Url} from its WAT record; {story}");
                    Assert.That(document.Description, Is.EqualTo(before.Description), story);
                    Assert.That(document.Canonical, Is.EqualTo(document.Url), story);
                }

                if (untouched["WARC"])
                {
                    Assert.That(document.ContentType, Is.EqualTo(before.ContentType), story);
                    Assert.That(document.Charset, Is.EqualTo(before.Charset), story);
                    Assert.That(document.Languages, Is.EqualTo(before.Languages), story);
                    Assert.That(document.TextBytes, Is.EqualTo(before.TextBytes), story);
                }

                if (untouched["WET"])
                {
                    Assert.That(document.DocText, Is.EqualTo(corpus.Layout.WetTextOf(index)), $"text of {document.Url} from its WET record; {story}");
                }

                if (untouched.Values.All(u => u))
                {
                    Assert.That(document.Serialize(), Is.EqualTo(before.Serialize()), $"{document.Url} untouched; {story}");
                }
            });
        }

        var kept = Enumerable.Range(0, corpus.Manifest.Urls.Count)
            .Where(i => TrioTypes.All(t => corpus.WhollyBefore(i, t, damage.GetValueOrDefault(t)))).ToList();
        var produced = documents.Select(d => d.Url).ToHashSet(StringComparer.Ordinal);
        Assert.That(kept.Where(i => corpus.Manifest.Fates[i] == UrlFate.Complete).Select(i => corpus.Manifest.Urls[i]).Where(u => !produced.Contains(u)),
            Is.Empty, $"every complete URL wholly before the damage keeps its document; {story}");
        var errorUrls = result.ErrorDocs.OfType<CommonCrawlErrorDoc>().Select(e => e.TargetUri).ToHashSet(StringComparer.Ordinal);
        Assert.That(kept.Where(i => corpus.Manifest.Fates[i] is UrlFate.CorruptWatJson or UrlFate.CorruptWarcStatusLine)
                .Select(i => corpus.Manifest.Urls[i]).Where(u => !errorUrls.Contains(u)),
            Is.Empty, $"every generated corruption wholly before the damage is still reported; {story}");
        AssertErrorOffsetsWithinTheFiles(result, corpus, damage, failedAt, TrioTypes, story);
        Report(corpus, result, kept.Count, story);
    }

    [TestCase(301, false, Mutation.FlipBytes)]
    [TestCase(302, false, Mutation.DeleteSpan)]
    [TestCase(303, false, Mutation.InsertGarbage)]
    [TestCase(304, false, Mutation.DuplicateSpan)]
    [TestCase(305, false, Mutation.Truncate)]
    [TestCase(306, false, Mutation.ContentLengthTooLarge)]
    [TestCase(307, false, Mutation.NoBlankLine)]
    [TestCase(401, true, Mutation.GzipMemberHeader)]
    [TestCase(402, true, Mutation.GzipMemberBody)]
    [TestCase(403, true, Mutation.GzipMemberTrailer)]
    [TestCase(404, true, Mutation.GzipMemberCut)]
    [TestCase(405, true, Mutation.Truncate)]
    [TestCase(406, true, Mutation.InsertGarbage)]
    [TestCase(407, true, Mutation.FlipBytes)]
    [TestCase(408, true, Mutation.DeleteSpan)]
    [TestCase(409, true, Mutation.DuplicateSpan)]
    [TestCase(410, true, Mutation.ContentLengthTooLarge)]
    [TestCase(411, true, Mutation.NoBlankLine)]
    public async Task DamagedWarcStaysAlignedAndKeepsWhatCameBeforeTheDamage(int seed, bool gzip, Mutation mutation)
    {
        var corpus = FuzzCorpus.Create(seed, gzip);
        var warc = corpus.Files[0];
        var clean = await RunWarc(warc).WaitAsync(NoHang);
        var cleanDocuments = clean.Documents.Cast<WarcResponseRecord>().Zip(clean.SerializedDocuments)
            .ToDictionary(d => d.First.TargetUri!, d => WithoutOffset(d.Second), StringComparer.Ordinal);
        Assert.That(clean.Tasks.Single().Succeeded, Is.True, "the undamaged WARC reads cleanly");
        Assert.That(cleanDocuments.Keys, Is.EqualTo(corpus.UrlsWhere(f => f != UrlFate.CorruptWarcStatusLine)), "the undamaged run is the baseline");

        var random = new Random(seed);
        var damage = new Dictionary<string, DamagedFile> { ["WARC"] = CorpusDamage.Apply(mutation, corpus.Content("WARC"), corpus.Layout.Of("WARC"), gzip, random) };
        var story = damage["WARC"].Description;

        var result = await RunWarc(warc with { Content = damage["WARC"].Content }).WaitAsync(NoHang);

        var failedAt = AssertEndedOrFailedAtTheDamage(result, corpus, damage, story);
        // A response whose WARC-Target-URI header the damage removed is still its group's response (the reader joins
        // by position and checks the URIs present): it is placed by its record id, or, without either, must lie in the damage.
        var documents = result.Documents.Cast<WarcResponseRecord>()
            .Select(d => (Document: d, Index: d.TargetUri is { } url ? corpus.IndexOf(url) : corpus.Layout.UrlIndexOfRecordId(d.Header.RecordId)))
            .ToList();
        var firstTouched = corpus.Layout.Of("WARC").First(p => p.End > damage["WARC"].From);
        Assert.That(documents.Where(d => d.Index < 0 && d.Document.TargetUri is null).Select(d => d.Document.Header.OffsetBytes),
            Has.All.GreaterThanOrEqualTo(firstTouched.DecodedStart), $"a response with neither URI nor id comes from the damage; {story}");
        documents.RemoveAll(d => d.Index < 0 && d.Document.TargetUri is null);
        AssertInGeneratorOrderAtMostOnce(documents.Select(d => d.Index).ToList(), story);
        foreach (var ((document, index), serialized) in documents.Zip(result.SerializedDocuments))
        {
            if (index >= 0 && !corpus.Touched(index, "WARC", damage["WARC"]))
            {
                Assert.That(WithoutOffset(serialized), Is.EqualTo(cleanDocuments[document.TargetUri!]), $"{document.TargetUri} untouched; {story}");
            }
        }

        var produced = documents.Select(d => corpus.Manifest.Urls[d.Index]).ToHashSet(StringComparer.Ordinal);
        var kept = Enumerable.Range(0, corpus.Manifest.Urls.Count).Where(i => corpus.WhollyBefore(i, "WARC", damage["WARC"])).ToList();
        Assert.That(kept.Where(i => corpus.Manifest.Fates[i] != UrlFate.CorruptWarcStatusLine)
                .Select(i => corpus.Manifest.Urls[i]).Where(u => !produced.Contains(u)),
            Is.Empty, $"every URL wholly before the damage keeps its document; {story}");
        AssertErrorOffsetsWithinTheFiles(result, corpus, damage, failedAt, ["WARC"], story);
        Report(corpus, result, kept.Count, story);
    }

    // What the damage cost, in the test log: a case whose damage changes nothing tests little.
    private static void Report(FuzzCorpus corpus, HarnessResult result, int wholly, string story) =>
        TestContext.Out.WriteLine($"{corpus.Manifest.Urls.Count} URLs, {wholly} wholly before the damage; {result.Documents.Count} documents, " +
                                  $"{result.ErrorDocs.Count} error documents, {result.SkipCount} skips; " +
                                  $"{(result.Tasks[0].Succeeded ? "completed" : "failed: " + result.Tasks[0].ErrorMessage)}; {story}");

    [TestCase("WARC", "metadata", "\"code-iso-639-3\":\"eng\"", "\"code-iso-639-3\":639")]
    [TestCase("WAT", "metadata", "\"Title\":\"Page ", "\"Title\":\"\u00ffage ")]
    public async Task JsonValueTheParserCannotReadAsAskedIsAnErrorForThatUrlOnly(string fileType, string warcType, string what, string with)
    {
        // The seeded flip that found it (seed 2072) made invalid UTF-8 in a WAT string; a number where the WARC
        // metadata's language code is read failed the task the same way, through the JSON reader's InvalidOperationException.
        const int Damaged = 3;
        var (manifest, files) = GeneratedCorpusTests.Generate(new CorpusOptions(Urls: 8, Gzip: false), (type, i, recordType, record) =>
        {
            var text = Encoding.Latin1.GetString(record);
            return type == fileType && i == Damaged && recordType == warcType && text.Contains(what, StringComparison.Ordinal)
                ? Encoding.Latin1.GetBytes(text.Replace(what, with, StringComparison.Ordinal))
                : record;
        });

        var result = await RunTrio(files).WaitAsync(NoHang);

        Assert.That(result.Tasks.Single().Succeeded, Is.True, () => result.Tasks[0].ErrorMessage ?? "");
        Assert.That(result.Documents.Cast<IndexRecord>().Select(d => d.Url), Is.EqualTo(manifest.Urls.Where((_, i) => i != Damaged)));
        var error = (CommonCrawlErrorDoc)result.ErrorDocs.Single();
        Assert.That(error.TargetUri, Is.EqualTo(manifest.Urls[Damaged]));
        Assert.That(error.ErrorMessage, Does.Contain("payload does not parse"));
    }

    private static Task<HarnessResult> RunTrio(HarnessFile[] files) =>
        LetsDataTestHarness.RunMultipleFileStateMachineReaderAsync(() => new CommonCrawlReader(), files);

    private static Task<HarnessResult> RunWarc(HarnessFile warc) =>
        LetsDataTestHarness.RunSingleFileStateMachineReaderAsync(() => new CommonCrawlWarcReader(), warc);

    /// <summary>
    /// Plain input never fails the task (every malformation is a record-level error). A gzip task may fail, with a
    /// message naming a damaged file and a decompressed offset no earlier than the first damaged member: a failure
    /// earlier would mean good data before the damage was dropped. Returns the failing file type and offset, if any.
    /// </summary>
    private static (string FileType, long Offset)? AssertEndedOrFailedAtTheDamage(HarnessResult result, FuzzCorpus corpus,
        Dictionary<string, DamagedFile> damage, string story)
    {
        var task = result.Tasks.Single();
        if (!corpus.Gzip || task.Succeeded)
        {
            Assert.That(task.Succeeded, Is.True, () => $"{task.ErrorMessage}; {story}");
            return null;
        }

        var match = TaskErrorPattern().Match(task.ErrorMessage ?? "");
        Assert.That(match.Success, Is.True, $"the task error names a file and an offset: '{task.ErrorMessage}'; {story}");
        var file = corpus.Files.Single(f => f.FileName == match.Groups["file"].Value);
        var offset = long.Parse(match.Groups["offset"].Value, CultureInfo.InvariantCulture);
        Assert.That(damage.ContainsKey(file.FileType), Is.True, $"the failing file {file.FileName} is a damaged one; {story}");
        var firstDamagedMember = corpus.Layout.Of(file.FileType).First(p => p.End > damage[file.FileType].From);
        Assert.That(offset, Is.GreaterThanOrEqualTo(firstDamagedMember.DecodedStart),
            $"the task fails no earlier than the damaged member: '{task.ErrorMessage}'; {story}");
        Assert.That(result.ErrorRecords.Count(r => r.Kind == ErrorRecordKind.TaskError), Is.EqualTo(1), story);
        return (file.FileType, offset);
    }

    private static void AssertInGeneratorOrderAtMostOnce(List<int> indexes, string story)
    {
        Assert.That(indexes, Has.None.LessThan(0), $"every document is for a generated URL; {story}");
        Assert.That(indexes.Zip(indexes.Skip(1)).Where(p => p.First >= p.Second), Is.Empty,
            $"documents follow the generator's order, each URL at most once; {story}");
    }

    /// <summary>Error documents carry offsets inside the (decompressed, damaged) files, and inside what was read when the task failed.</summary>
    private static void AssertErrorOffsetsWithinTheFiles(HarnessResult result, FuzzCorpus corpus, Dictionary<string, DamagedFile> damage,
        (string FileType, long Offset)? failedAt, string[] fileTypes, string story)
    {
        var lengths = fileTypes.ToDictionary(t => t, t => damage.TryGetValue(t, out var d)
            ? CorpusDamage.DecodedLength(d.Content, corpus.Gzip)
            : corpus.Layout.Of(t)[^1].DecodedEnd);
        if (failedAt is { } failure)
        {
            lengths[failure.FileType] = failure.Offset;
        }
        else
        {
            Assert.That(lengths.Where(l => l.Value is null).Select(l => l.Key), Is.Empty,
                $"the engine read every file to its end without error, so does GZipStream; {story}");
        }

        foreach (var error in result.ErrorRecords.Where(r => r.Kind == ErrorRecordKind.ErrorDoc))
        {
            Assert.That(error.ErrorStartOffsetMap!.Keys, Is.EquivalentTo(fileTypes), story);
            Assert.That(error.ErrorEndOffsetMap!.Keys, Is.EquivalentTo(fileTypes), story);
            foreach (var type in fileTypes)
            {
                var start = long.Parse(error.ErrorStartOffsetMap[type], CultureInfo.InvariantCulture);
                var end = long.Parse(error.ErrorEndOffsetMap[type], CultureInfo.InvariantCulture);
                Assert.That(start, Is.InRange(0, end), $"{type} offsets of '{error.ErrorMessage}'; {story}");
                if (lengths[type] is { } length)
                {
                    Assert.That(end, Is.LessThanOrEqualTo(length), $"{type} offsets of '{error.ErrorMessage}' within the file; {story}");
                }
            }
        }
    }

    private static string WithoutOffset(string serialized) => OffsetField().Replace(serialized, "");

    [GeneratedRegex(@"(?<file>corpus[.a-z]*) at offset (?<offset>\d+): ")]
    private static partial Regex TaskErrorPattern();

    [GeneratedRegex(@"""offsetBytes"":\d+,?")]
    private static partial Regex OffsetField();

    /// <summary>A generated corpus of 30 to 80 URLs (a few WET gaps and generated corruptions) and where its records lie.</summary>
    private sealed class FuzzCorpus
    {
        private readonly Dictionary<string, int> _indexes;

        private FuzzCorpus(CorpusManifest manifest, HarnessFile[] files, CorpusLayout layout, bool gzip)
        {
            Manifest = manifest;
            Files = files;
            Layout = layout;
            Gzip = gzip;
            _indexes = manifest.Urls.Select((u, i) => (u, i)).ToDictionary(p => p.u, p => p.i, StringComparer.Ordinal);
        }

        public CorpusManifest Manifest { get; }

        public HarnessFile[] Files { get; }

        public CorpusLayout Layout { get; }

        public bool Gzip { get; }

        public static FuzzCorpus Create(int seed, bool gzip)
        {
            var random = new Random(seed);
            var layout = new CorpusLayout(gzip);
            var (manifest, files) = GeneratedCorpusTests.Generate(
                new CorpusOptions(Urls: 30 + random.Next(51), Seed: seed, WetGapRate: 0.05, Corruptions: random.Next(3), Gzip: gzip), layout.Note);
            foreach (var file in files)
            {
                Assert.That(layout.Of(file.FileType)[^1].End, Is.EqualTo(file.Content.Length), $"the layout of {file.FileName} matches the file");
            }

            return new FuzzCorpus(manifest, files, layout, gzip);
        }

        public byte[] Content(string fileType) => Files.Single(f => f.FileType == fileType).Content.ToArray();

        public int IndexOf(string url) => _indexes.GetValueOrDefault(url, -1);

        public IEnumerable<string> UrlsWhere(Func<UrlFate, bool> fate) =>
            Manifest.Urls.Where((_, i) => fate(Manifest.Fates[i]));

        /// <summary>Whether the damage covers a byte (a gzip member) of the URL's records in the file.</summary>
        public bool Touched(int urlIndex, string fileType, DamagedFile? damage) =>
            damage is not null && Layout.Of(fileType).Any(p => p.UrlIndex == urlIndex && p.Start < damage.To && damage.From < p.End);

        /// <summary>
        /// Whether the URL's records in the file can be read in full before the damage is met. A record ends where the
        /// next one starts; a plain file's reader finds that start (or the damaged bytes, which any record may trail).
        /// A gzip file's decompression may fail at the damage, so the next member must come whole before it.
        /// </summary>
        public bool WhollyBefore(int urlIndex, string fileType, DamagedFile? damage)
        {
            if (damage is null)
            {
                return true;
            }

            var places = Layout.Of(fileType);
            var last = places.Select((p, i) => (p, i)).LastOrDefault(x => x.p.UrlIndex == urlIndex);
            if (last.p is null)
            {
                // No record of this URL in the file (a WET gap): the preceding URL's limit applies.
                return urlIndex == 0 || WhollyBefore(urlIndex - 1, fileType, damage);
            }

            if (!Gzip)
            {
                return last.p.End <= damage.From;
            }

            return last.i + 1 < places.Count && places[last.i + 1].End <= damage.From;
        }
    }
}

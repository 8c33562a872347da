using System.IO.Compression;
using System.Text;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Reading;

/// <summary>gzip input: multi-member files, truncated and corrupt files, and real Common Crawl / WARC files.</summary>
public class GzipInputTests
{
    private const string Type = "WARC";
    private const string WarcStart = "WARC/1.0\r\n";

    private static async Task<(HarnessResult Result, RecordingParser Parser)> RunAsync(HarnessFile file, string start, string end)
    {
        var parser = new RecordingParser(Type, start, end);
        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser, file);
        return (result, parser);
    }

    private static List<byte[]> Records(int count, int bodyBytes, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var body = new string(Enumerable.Range(0, bodyBytes).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
            return TestData.Utf8($"REC {i} {body}\n");
        }).ToList();
    }

    [Test]
    public void StrictGzipValidationIsOnInTheTestHost()
    {
        // Directory.Build.props sets it for every project; without it GZipStream ends a truncated file silently.
        Assert.That(AppContext.TryGetSwitch("System.IO.Compression.UseStrictValidation", out var enabled) && enabled, Is.True);
    }

    [Test]
    public async Task AMultiMemberGzipFileGivesTheSameDocumentsAndOffsetsAsThePlainFile()
    {
        var records = Records(200, 300, seed: 1);
        var plain = records.SelectMany(r => r).ToArray();
        var memberPerRecord = TestData.GzipMembers(records);
        // Members that cut records (and patterns) anywhere must decode to the same bytes too.
        var oddMembers = TestData.GzipMembers(plain.Chunk(777));

        var (plainRun, plainParser) = await RunAsync(new HarnessFile(Type, "a.log", plain), "REC ", "\n");
        var (gzipRun, gzipParser) = await RunAsync(new HarnessFile(Type, "a.log.gz", memberPerRecord), "REC ", "\n");
        var (oddRun, oddParser) = await RunAsync(new HarnessFile(Type, "b.log.gz", oddMembers), "REC ", "\n");

        Assert.That(new[] { plainRun, gzipRun, oddRun }.Select(r => r.Tasks.Single().ErrorMessage), Is.All.Null);
        Assert.That(plainParser.Seen, Has.Count.EqualTo(200));
        var expected = plainParser.Seen.Select(s => (s.Offset, s.Text)).ToList();
        Assert.That(gzipParser.Seen.Select(s => (s.Offset, s.Text)), Is.EqualTo(expected));
        Assert.That(oddParser.Seen.Select(s => (s.Offset, s.Text)), Is.EqualTo(expected));
        Assert.That(expected.Select(e => e.Offset), Is.EqualTo(TestData.IndexesOf(plain, "REC "u8).Select(i => (long)i)));
        Assert.That(gzipRun.SerializedDocuments, Is.EqualTo(plainRun.SerializedDocuments.Select(s => s.Replace("a.log", "a.log.gz"))));
    }

    /// <summary>Small records fit in one read-ahead chunk; large ones span several.</summary>
    [TestCase(100, 40)]
    [TestCase(1000, 700)]
    public async Task ATruncatedGzipFileFailsTheTaskAfterEveryRecordBeforeTheCut(int bodyBytes, int cutInRecord)
    {
        var records = Records(cutInRecord + 20, bodyBytes, seed: 2);
        var members = records.Select(r => TestData.GzipMembers([r])).ToList();
        var cut = members.Take(cutInRecord).Sum(m => m.Length) + members[cutInRecord].Length / 2;
        var truncated = members.SelectMany(m => m).Take(cut).ToArray();

        var (result, _) = await RunAsync(new HarnessFile(Type, "cut.log.gz", truncated), "REC ", "\n");

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("cut.log.gz").And.Contain("truncated"));
        Assert.That(result.Documents.Select(RecordingParser.TextOf).ToList(),
            Is.EqualTo(records.Take(cutInRecord).Select(r => Encoding.UTF8.GetString(r, 0, r.Length - 1)).ToList()));
    }

    [Test]
    public async Task TheClippedWarcFileOfResiliparseFailsAsTruncated()
    {
        var bytes = TestData.Read("clipped.warc.gz");
        var (result, parser) = await RunAsync(new HarnessFile(Type, "clipped.warc.gz", bytes), WarcStart, WarcStart);

        // What System.IO.Compression can decode before the cut: every record whose end pattern lies in it is complete.
        var decodable = DecodeUntilFailure(bytes, out var failure);
        Assert.That(failure, Is.InstanceOf<InvalidDataException>(), "the file is clipped");
        var complete = TestData.IndexesOf(decodable, TestData.Utf8(WarcStart)).Count - 1;

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("clipped.warc.gz").And.Contain("truncated"));
        Assert.That(parser.Seen, Has.Count.EqualTo(complete));
    }

    private static byte[] DecodeUntilFailure(byte[] compressed, out InvalidDataException? failure)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        return TestData.ReadUntilFailure(gzip, 512, out failure);
    }

    [Test]
    public async Task NonGzipBytesInAFileNamedGzFailTheTask()
    {
        var (result, parser) = await RunAsync(HarnessFile.FromText(Type, "plain.warc.gz", WarcStart + "not compressed\r\n"), WarcStart, WarcStart);

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("plain.warc.gz").And.Contain("gzip"));
        Assert.That(parser.Seen, Is.Empty);
    }

    [Test]
    public async Task CorruptDeflateDataAfterTheGzipHeaderFailsTheTask()
    {
        var good = TestData.GzipMembers([TestData.Utf8(WarcStart + "one\r\n")]);
        var corrupt = good.Take(10).Concat(Enumerable.Repeat((byte)0xFF, 64)).ToArray();

        var (result, _) = await RunAsync(new HarnessFile(Type, "corrupt.warc.gz", corrupt), WarcStart, WarcStart);

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("corrupt.warc.gz").And.Contain("corrupt"));
    }

    [Test]
    public async Task TheCommonCrawlWhirlwindWarcDecodesToTheBytesOfSystemIOCompression()
    {
        var compressed = TestData.Read("whirlwind.warc.gz");
        var decompressed = TestData.Gunzip(compressed);
        var starts = TestData.IndexesOf(decompressed, TestData.Utf8(WarcStart));
        Assert.That(starts, Has.Count.EqualTo(4), "the cut-down whirlwind WARC: warcinfo, request, response, metadata");

        var (result, parser) = await RunAsync(new HarnessFile(Type, "whirlwind.warc.gz", compressed), WarcStart, WarcStart);

        Assert.That(result.Tasks.Single().ErrorMessage, Is.Null);
        Assert.That(parser.Seen.Select(s => s.Offset), Is.EqualTo(starts.Select(i => (long)i)));
        // Records are contiguous from the first start to the end of the file: together they are the whole file.
        Assert.That(parser.Seen.SelectMany(s => s.Bytes).ToArray(), Is.EqualTo(decompressed[starts[0]..]));
    }

    [Test]
    public async Task AGzipWarcLargerThanTheReadAheadChunksGivesTheSameRecordsAsItsPlainCopy()
    {
        var plain = TestData.Read("warcfile.warc");
        var starts = TestData.IndexesOf(plain, TestData.Utf8(WarcStart));

        var (plainRun, plainParser) = await RunAsync(new HarnessFile(Type, "warcfile.warc", plain), WarcStart, WarcStart);
        var (gzipRun, gzipParser) = await RunAsync(new HarnessFile(Type, "warcfile.warc.gz", TestData.Read("warcfile.warc.gz")),
            WarcStart, WarcStart);

        Assert.That(plainRun.Tasks.Single().ErrorMessage, Is.Null);
        Assert.That(gzipRun.Tasks.Single().ErrorMessage, Is.Null);
        Assert.That(plainParser.Seen.Select(s => s.Offset), Is.EqualTo(starts.Select(i => (long)i)));
        Assert.That(gzipParser.Seen.Select(s => s.Offset), Is.EqualTo(plainParser.Seen.Select(s => s.Offset)));
        Assert.That(gzipParser.Seen.SelectMany(s => s.Bytes).ToArray(), Is.EqualTo(plain[starts[0]..]));
    }
}

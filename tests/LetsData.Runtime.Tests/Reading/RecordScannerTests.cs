using System.Text;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Reading;

/// <summary>
/// The record extraction rule of the contract, on the scanner itself with the smallest buffer (16 bytes) and reads
/// that hand out a few bytes at a time, so patterns and records straddle buffer and read boundaries.
/// </summary>
public class RecordScannerTests
{
    private const int SmallBuffer = 16;
    private const string FileName = "test.bin";

    private static List<(long Offset, string Text)> Scan(byte[] data, RecordParseHint start, RecordParseHint end,
        int bufferBytes = SmallBuffer, int readChunk = int.MaxValue, int maxRecordBytes = RecordScanner.DefaultMaxRecordBytes)
    {
        using var scanner = new RecordScanner(new TrickleStream(data, readChunk), FileName, maxRecordBytes, bufferBytes);
        var records = new List<(long, string)>();
        while (scanner.TryReadRecord(start, end, out var offset, out var record))
        {
            records.Add((offset, Encoding.UTF8.GetString(record)));
            if (records.Count > data.Length + 1)
            {
                Assert.Fail("the scanner returns more records than the input has bytes: it does not advance");
            }
        }

        Assert.That(scanner.Position, Is.EqualTo(data.Length), "at the end the cursor is at the end of the input");
        return records;
    }

    private static List<(long, string)> Scan(string text, string start, string end, int bufferBytes = SmallBuffer,
        int readChunk = int.MaxValue) =>
        Scan(Encoding.UTF8.GetBytes(text), RecordParseHint.ForPattern(start), RecordParseHint.ForPattern(end), bufferBytes, readChunk);

    /// <summary>The contract's rule written the obvious way over the whole input, to compare the scanner with.</summary>
    private static List<(long, string)> ContractRecords(byte[] data, string start, string end)
    {
        var (startBytes, endBytes) = (Encoding.UTF8.GetBytes(start), Encoding.UTF8.GetBytes(end));
        var records = new List<(long, string)>();
        var cursor = 0;
        while (true)
        {
            var s = data.AsSpan(cursor).IndexOf(startBytes);
            if (s < 0)
            {
                return records;
            }

            s += cursor;
            var from = s + startBytes.Length;
            var e = data.AsSpan(from).IndexOf(endBytes);
            e = e < 0 ? data.Length : from + e;
            records.Add((s, Encoding.UTF8.GetString(data, s, e - s)));
            cursor = e;
        }
    }

    [Test]
    public void StartPatternSplitAcrossTheBufferBoundary([Values(16, 64)] int bufferBytes, [Range(1, 6)] int patternBytesBeforeBoundary)
    {
        const string pattern = "<<REC>>";
        // '<' garbage before the pattern also makes partial matches that must not be mistaken for it.
        var garbage = new string('<', bufferBytes - patternBytesBeforeBoundary);
        var text = garbage + pattern + "first" + pattern + "second";

        var records = Scan(text, pattern, pattern, bufferBytes);

        Assert.That(records, Is.EqualTo(new[]
        {
            ((long)garbage.Length, pattern + "first"),
            ((long)garbage.Length + 12, pattern + "second"),
        }));
    }

    [Test]
    public void EndPatternSplitAcrossTheBufferBoundary([Values(16, 64)] int bufferBytes, [Range(1, 6)] int patternBytesBeforeBoundary)
    {
        const string end = "<<END>>";
        var body = new string('<', bufferBytes - patternBytesBeforeBoundary - 2);
        var text = "S:" + body + end + "S:tail";

        var records = Scan(text, "S:", end, bufferBytes);

        Assert.That(records, Is.EqualTo(new[] { (0L, "S:" + body), ((long)(2 + body.Length + end.Length), "S:tail") }));
    }

    [Test]
    public void PatternsSplitAcrossReads([Range(1, 8)] int readChunk)
    {
        var text = "junk<<REC>>one<<END>>junk<<REC>>two<<END><<REC>>three";

        var records = Scan(text, "<<REC>>", "<<END>>", SmallBuffer, readChunk);

        Assert.That(records, Is.EqualTo(new[] { (4L, "<<REC>>one"), (25L, "<<REC>>two<<END><<REC>>three") }));
    }

    private static IEnumerable<TestCaseData> PatternPairs()
    {
        yield return new TestCaseData("<<REC>>", "<<REC>>").SetName("identical start and end");
        yield return new TestCaseData("BEGIN", "\nBEGIN").SetName("end is the next record's start");
        yield return new TestCaseData("<<REC>>", "<<END>>").SetName("distinct start and end");
        yield return new TestCaseData("§Ω→", "終\n").SetName("non-ASCII patterns");
        yield return new TestCaseData("WARC/1.0\r\nWARC-Type: request\r\n", "WARC/1.0\r\n").SetName("long start, short end");
    }

    [TestCaseSource(nameof(PatternPairs))]
    public void AgreesWithTheContractRuleForEveryBufferAndReadSize(string start, string end)
    {
        var text = new StringBuilder("garbage before ");
        for (var i = 0; i < 40; i++)
        {
            text.Append(start).Append("record ").Append(i).Append(new string('x', i * 7 % 23));
            if (i % 3 != 0)
            {
                text.Append(end);
            }

            if (i % 4 == 0)
            {
                text.Append("junk é ").Append(end.AsSpan(0, end.Length / 2)).Append(start.AsSpan(0, (start.Length + 1) / 2));
            }
        }

        text.Append(start).Append("the last record runs to the end");
        var data = Encoding.UTF8.GetBytes(text.ToString());
        var expected = ContractRecords(data, start, end);
        Assert.That(expected, Has.Count.GreaterThan(20));

        foreach (var bufferBytes in new[] { 16, 32, 1024 })
        {
            foreach (var readChunk in new[] { 1, 2, 3, 5, 16, 100_000 })
            {
                Assert.That(Scan(data, RecordParseHint.ForPattern(start), RecordParseHint.ForPattern(end), bufferBytes, readChunk),
                    Is.EqualTo(expected), $"buffer {bufferBytes}, reads of {readChunk} bytes");
            }
        }
    }

    [Test]
    public void IdenticalStartAndEndPatternsCutAtEachOccurrence()
    {
        Assert.That(Scan("@@a@@bb@@ccc", "@@", "@@"), Is.EqualTo(new[] { (0L, "@@a"), (3L, "@@bb"), (7L, "@@ccc") }));
    }

    [Test]
    public void TheEndPatternIsLeftForTheNextRecord()
    {
        // Consuming "\nBEGIN" would make the next search start at " 2" and skip record 2.
        Assert.That(Scan("BEGIN 1\nBEGIN 2\nBEGIN 3\n", "BEGIN", "\nBEGIN"),
            Is.EqualTo(new[] { (0L, "BEGIN 1"), (8L, "BEGIN 2"), (16L, "BEGIN 3\n") }));
    }

    [Test]
    public void EndOfInputEndsTheLastRecord()
    {
        Assert.That(Scan("<r>one;<r>two without terminator", "<r>", ";"),
            Is.EqualTo(new[] { (0L, "<r>one"), (7L, "<r>two without terminator") }));
    }

    [Test]
    public void EmptyInputHasNoRecords()
    {
        Assert.That(Scan("", "<r>", ";"), Is.Empty);
    }

    [Test]
    public void InputWithoutTheStartPatternHasNoRecords([Values(1, 3, 100_000)] int readChunk)
    {
        Assert.That(Scan("no records here, only <r and r> and <R>", "<r>", ";", SmallBuffer, readChunk), Is.Empty);
    }

    [Test]
    public void GarbageBeforeAndBetweenRecordsIsIgnored()
    {
        Assert.That(Scan("header junk\n<r>one;\njunk between\n<r>two;trailing", "<r>", ";"),
            Is.EqualTo(new[] { (12L, "<r>one"), (33L, "<r>two") }));
    }

    [Test]
    public void NonAsciiPatternsAndOffsetsInBytes()
    {
        // "ü" and "€" take 2 and 3 bytes: offsets are byte offsets, not character positions.
        var text = "üü€<§Ω>grüße終<§Ω>€uro終<§Ω>last";
        var data = Encoding.UTF8.GetBytes(text);
        var first = Encoding.UTF8.GetByteCount("üü€");
        var second = first + Encoding.UTF8.GetByteCount("<§Ω>grüße");

        var records = Scan(data, RecordParseHint.ForPattern("<§Ω>"), RecordParseHint.ForPattern("終"), SmallBuffer, 1);

        Assert.That(records, Is.EqualTo(new[]
        {
            ((long)first, "<§Ω>grüße"),
            ((long)second + Encoding.UTF8.GetByteCount("終"), "<§Ω>€uro"),
            ((long)data.Length - Encoding.UTF8.GetByteCount("<§Ω>last"), "<§Ω>last"),
        }));
    }

    [Test]
    public void RecordsLargerThanTheBufferAreReturnedWhole([Values(1, 7, 100_000)] int readChunk)
    {
        var random = new Random(42);
        var big = new string(Enumerable.Range(0, 10_000).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
        var bigger = new string(Enumerable.Range(0, 40_000).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
        var text = "<r>small;<r>" + big + ";<r>" + bigger;

        var records = Scan(Encoding.UTF8.GetBytes(text), RecordParseHint.ForPattern("<r>"), RecordParseHint.ForPattern(";"),
            SmallBuffer, readChunk);

        Assert.That(records, Is.EqualTo(new[] { (0L, "<r>small"), (9L, "<r>" + big), (9L + 4 + big.Length, "<r>" + bigger) }));
    }

    [Test]
    public void RecordsOfExactlyTheCeilingAreAllowed()
    {
        var body = new string('b', 97);
        var data = Encoding.UTF8.GetBytes("<r>" + body + ";<r>" + body);

        var records = Scan(data, RecordParseHint.ForPattern("<r>"), RecordParseHint.ForPattern(";"), SmallBuffer, 5, maxRecordBytes: 100);

        Assert.That(records.Select(r => r.Text.Length), Is.EqualTo(new[] { 100, 100 }));
    }

    [Test]
    public void ARecordOverTheCeilingFailsNamingFileOffsetAndSetting([Values] bool terminated)
    {
        var data = Encoding.UTF8.GetBytes("<r>ok;junk<r>" + new string('b', 98) + (terminated ? ";<r>next" : ""));
        using var scanner = new RecordScanner(new TrickleStream(data, 3), FileName, maxRecordBytes: 100, initialBufferBytes: SmallBuffer);
        var (start, end) = (RecordParseHint.ForPattern("<r>"), RecordParseHint.ForPattern(";"));

        Assert.That(scanner.TryReadRecord(start, end, out var firstOffset, out _), Is.True);
        Assert.That(firstOffset, Is.Zero);
        var error = Assert.Throws<InputReadException>(() => scanner.TryReadRecord(start, end, out _, out _))!;

        Assert.That(error.FileName, Is.EqualTo(FileName));
        Assert.That(error.Offset, Is.EqualTo(10), "the offset of the record that is too large");
        Assert.That(error.Message, Does.Contain(FileName).And.Contain("offset 10").And.Contain("maxRecordBytes"));
    }

    [Test]
    public void OffsetHintsCutFixedSizeRecordsWithAShortLastOne([Values(1, 3, 100_000)] int readChunk)
    {
        var records = Scan(Encoding.ASCII.GetBytes("aaaabbbbccccdd"), RecordParseHint.ForOffset(0), RecordParseHint.ForOffset(4),
            SmallBuffer, readChunk);

        Assert.That(records, Is.EqualTo(new[] { (0L, "aaaa"), (4L, "bbbb"), (8L, "cccc"), (12L, "dd") }));
    }

    [Test]
    public void AnOffsetStartHintSkipsThatManyBytesBeforeEachRecord()
    {
        // Each record: a 2-byte header to skip, then 3 bytes of record.
        var records = Scan(Encoding.ASCII.GetBytes("..xyz..uvw..rs"), RecordParseHint.ForOffset(2), RecordParseHint.ForOffset(3));

        Assert.That(records, Is.EqualTo(new[] { (2L, "xyz"), (7L, "uvw"), (12L, "rs") }));
    }

    [Test]
    public void OffsetRecordsLargerThanTheBufferAreReturnedWhole()
    {
        var text = new string('a', 100) + new string('b', 100) + new string('c', 30);

        var records = Scan(Encoding.ASCII.GetBytes(text), RecordParseHint.ForOffset(0), RecordParseHint.ForOffset(100), SmallBuffer, 7);

        Assert.That(records, Is.EqualTo(new[] { (0L, new string('a', 100)), (100L, new string('b', 100)), (200L, new string('c', 30)) }));
    }

    [Test]
    public void HintsThatGiveAnEmptyRecordFailInsteadOfLooping()
    {
        var data = Encoding.ASCII.GetBytes("abc\ndef");
        using (var scanner = new RecordScanner(new MemoryStream(data), FileName, initialBufferBytes: SmallBuffer))
        {
            var error = Assert.Throws<InputReadException>(() =>
                scanner.TryReadRecord(RecordParseHint.ForOffset(0), RecordParseHint.ForOffset(0), out _, out _))!;
            Assert.That(error.Message, Does.Contain("empty record").And.Contain(FileName));
        }

        // Pattern start and end that match at the same place: the record would end where it starts.
        using (var scanner = new RecordScanner(new MemoryStream(data), FileName, initialBufferBytes: SmallBuffer))
        {
            var error = Assert.Throws<InputReadException>(() =>
                scanner.TryReadRecord(RecordParseHint.ForPattern("\n"), RecordParseHint.ForOffset(0), out _, out _))!;
            Assert.That(error.Offset, Is.EqualTo(3));
            Assert.That(error.Message, Does.Contain("empty record"));
        }
    }

    /// <summary>
    /// A positional start with a pattern end reads lines: the end pattern is a terminator, consumed with its record
    /// (not the next record's start), blank lines are passed over, the last line needs no terminator, and the
    /// position after a record is past its terminator — where a resumed task starts.
    /// </summary>
    [TestCase("abc\ndef\n", new[] { "abc", "def" }, new long[] { 0, 4 })]
    [TestCase("abc\ndef", new[] { "abc", "def" }, new long[] { 0, 4 })]
    [TestCase("\n\nabc\n\n\ndef\n\n", new[] { "abc", "def" }, new long[] { 2, 8 })]
    [TestCase("id,x\r\n1,a\r\n", new[] { "id,x\r", "1,a\r" }, new long[] { 0, 6 })]
    public void AnOffsetStartAndAPatternEnd_ReadLines(string text, string[] lines, long[] offsets)
    {
        var data = Encoding.ASCII.GetBytes(text);
        using var scanner = new RecordScanner(new MemoryStream(data), FileName, initialBufferBytes: SmallBuffer);
        var (start, end) = (RecordParseHint.ForOffset(0), RecordParseHint.ForPattern("\n"));
        var read = new List<(string, long, long)>();
        while (scanner.TryReadRecord(start, end, out var offset, out var record))
        {
            read.Add((Encoding.ASCII.GetString(record), offset, scanner.Position));
        }

        Assert.That(read.Select(r => r.Item1), Is.EqualTo(lines));
        Assert.That(read.Select(r => r.Item2), Is.EqualTo(offsets));
        Assert.That(read.Select(r => r.Item3), Is.EqualTo(read.Select(r => r.Item2 + r.Item1.Length + 1).Select(p => Math.Min(p, data.Length))),
            "the position after a record is past its terminator");
    }
}

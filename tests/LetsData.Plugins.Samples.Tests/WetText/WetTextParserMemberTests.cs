using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Plugins.Samples.Tests.Support;
using LetsData.Plugins.Samples.WetText;

namespace LetsData.Plugins.Samples.Tests.WetText;

/// <summary>The WET parser's own members, called directly with records cut by the test.</summary>
public class WetTextParserMemberTests
{
    private readonly WetTextParser _parser = new();

    [Test]
    public void DeclaresTheWetFileTypeAndIdenticalConversionPatterns()
    {
        Assert.Multiple(() =>
        {
            Assert.That(_parser.S3FileType, Is.EqualTo("WET"));
            Assert.That(_parser.GetResolvedS3FileName("WET", "x.warc.wet.gz"), Is.EqualTo("x.warc.wet.gz"));
            Assert.That(_parser.GetRecordStartPattern("WET").Pattern, Is.EqualTo("WARC/1.0\r\nWARC-Type: conversion\r\n"));
            Assert.That(_parser.GetRecordEndPattern("WET"), Is.EqualTo(_parser.GetRecordStartPattern("WET")));
        });
    }

    [Test]
    public void AnotherFileTypeIsAConfigurationErrorNotAnErrorDoc()
    {
        Assert.Throws<ArgumentException>(() => _parser.GetRecordEndPattern("WARC"));
        Assert.Throws<ArgumentException>(() => _parser.ParseDocument("WARC", "f", 0, "WARC/1.0\r\n"u8));
    }

    [Test]
    public void NeverThrowsOnCorruptedOrCutRecords()
    {
        var record = RealConversionRecord();
        var random = new Random(20240518);
        var outcomes = new Dictionary<ParseDocumentResultStatus, int>();
        for (var i = 0; i < 2000; i++)
        {
            var corrupted = record[..random.Next(record.Length + 1)];
            for (var flips = random.Next(4); flips > 0 && corrupted.Length > 0; flips--)
            {
                // Bias towards the header block, where the parser makes its decisions.
                corrupted[random.Next(Math.Min(corrupted.Length, 500))] = (byte)random.Next(256);
            }

            ParseDocumentResult? result = null;
            Assert.DoesNotThrow(() => result = _parser.ParseDocument("WET", "fuzz.wet", 0, corrupted), $"iteration {i}");
            Assert.That(result!.Status, Is.AnyOf(ParseDocumentResultStatus.Success, ParseDocumentResultStatus.Error));
            Assert.That(result.Document, Is.Not.Null);
            outcomes[result.Status] = outcomes.GetValueOrDefault(result.Status) + 1;
        }
        Assert.That(outcomes.Keys, Is.EquivalentTo(new[] { ParseDocumentResultStatus.Success, ParseDocumentResultStatus.Error }),
                    "the corruption exercised both outcomes");
    }

    [Test]
    public void OneSharedInstanceGivesTheSameResultsOnConcurrentThreads()
    {
        // [Stateless] means the engine shares one instance between concurrent tasks.
        var records = Enumerable.Range(0, 16)
            .Select(i => new WarcFileBuilder()
                .Record("conversion", new string((char)('a' + i), 100 + i), $"WARC-Target-URI: http://{i}.example/")
                .ToArray())
            .ToArray();
        var expected = records.Select(r => Serialize(_parser.ParseDocument("WET", "f", 0, r))).ToArray();

        var mismatches = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var index = i % records.Length;
            if (Serialize(_parser.ParseDocument("WET", "f", 0, records[index])) != expected[index])
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.That(mismatches, Is.Zero);
    }

    private static string Serialize(ParseDocumentResult result) => ((Document)result.Document!).Serialize();

    private static byte[] RealConversionRecord()
    {
        var file = TestData.ReadDecompressed(TestData.WhirlwindWet);
        var (offset, length) = DirectEngine.CutRecords(file, "WARC/1.0\r\nWARC-Type: conversion\r\n"u8,
                                                       "WARC/1.0\r\nWARC-Type: conversion\r\n"u8).Single();
        return file.AsSpan(offset, length).ToArray();
    }
}

using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>
/// The state-machine bookkeeping of spec §2.3 around a single-file state-machine parser, observed from the parser and
/// from the reader's <see cref="ISystemFileReader"/>.
/// </summary>
public class StateMachineTests
{
    private static readonly (string Type, string Body)[] ThreeCycles =
    [
        ("A", "a0;"), ("B", "b0;"), ("C", "c0;"),
        ("A", "a1;"), ("B", "BAD b1;"), ("C", "c1;"),
        ("A", "a2;"), ("B", "b2;"), ("C", "c2 is the last record"),
    ];

    private static async Task<(HarnessResult Result, CycleReader Reader, List<long> Offsets, int Length)> RunCyclesAsync()
    {
        var (content, offsets) = CycleParser.Build(ThreeCycles);
        var reader = new CycleReader();
        var result = await LetsDataTestHarness.RunSingleFileStateMachineReaderAsync(() => reader,
            new HarnessFile(CycleParser.FileTypeName, "cycle.dat", content));
        Assert.That(result.Tasks.Single().ErrorMessage, Is.Null);
        return (result, reader, offsets, content.Length);
    }

    [Test]
    public async Task TheExpectedTypeStartsFromNullAndThenFollowsTheParsersNextRecordType()
    {
        var (_, reader, _, _) = await RunCyclesAsync();
        var parser = reader.Parser;

        // Asked once, with null; after that only the results' NextRecordType drive the machine (asking again would
        // give "WRONG", and the documents' garbage RecordType would make the pattern methods throw).
        Assert.That(parser.ExpectedTypeCalls, Is.EqualTo(new string?[] { null }));
        Assert.That(parser.StartPatternCalls.Select(c => c.Expected),
            Is.EqualTo(new[] { "A", "B", "C", "A", "B", "C", "A", "B", "C", "A" }), "nine records, then a search for A at EOF");
        Assert.That(parser.ParseCalls.Select(c => c.Returned.RecordType), Has.Some.StartsWith("garbage-"));
    }

    [Test]
    public async Task ParseDocumentGetsThePreviousExpectedTypeAndThePreviousDocument()
    {
        var (_, reader, offsets, _) = await RunCyclesAsync();
        var calls = reader.Parser.ParseCalls;

        Assert.That(calls.Select(c => c.LastProcessedRecordType),
            Is.EqualTo(new[] { null, "A", "B", "C", "A", "B", "C", "A", "B" }));
        Assert.That(calls.Select(c => c.Offset), Is.EqualTo(offsets));
        Assert.That(calls[0].LastProcessedDoc, Is.Null);
        for (var i = 1; i < calls.Count; i++)
        {
            Assert.That(calls[i].LastProcessedDoc, Is.SameAs(calls[i - 1].Returned), $"record {i}");
        }

        Assert.That(reader.Parser.StartPatternCalls.Select(c => c.LastDocument),
            Is.EqualTo(new IDocument?[] { null }.Concat(calls.Select(c => c.Returned))));
    }

    [Test]
    public async Task AnErrorDocMidCycleDoesNotBreakTheCycle()
    {
        var (result, reader, offsets, _) = await RunCyclesAsync();

        Assert.That(reader.Parser.ParseCalls, Has.Count.EqualTo(9), "every record after the error is read too");
        Assert.That(result.Documents.Select(d => d.DocumentId), Is.EqualTo(new[]
        {
            $"A@{offsets[0]}", $"B@{offsets[1]}", $"C@{offsets[2]}", $"A@{offsets[3]}", $"C@{offsets[5]}",
            $"A@{offsets[6]}", $"B@{offsets[7]}", $"C@{offsets[8]}",
        }));
        var error = result.ErrorDocs.Single();
        Assert.That(error.ErrorMessage, Is.EqualTo("bad B record"));
        Assert.That(error.ErrorStartOffsetMap![CycleParser.FileTypeName], Is.EqualTo(offsets[4].ToString()));
    }

    [Test]
    public async Task TheSystemFileReaderReportsTheLastTypeAndTheOffsetOfTheNextUnreadRecord()
    {
        var (_, reader, offsets, length) = await RunCyclesAsync();
        var seen = reader.Observations;
        var types = ThreeCycles.Select(r => r.Type).ToList();

        Assert.That(seen, Has.Count.EqualTo(10), "nine records, then the call that meets EOF");
        Assert.That(seen[0].OffsetBefore, Is.EqualTo("0"));
        Assert.That(seen[0].LastRecordTypeBefore, Is.Null);
        for (var i = 0; i < 9; i++)
        {
            var nextOffset = i + 1 < offsets.Count ? offsets[i + 1] : length;
            Assert.That(seen[i].LastRecordTypeAfter, Is.EqualTo(types[i]), $"record {i}");
            Assert.That(seen[i].OffsetAfter, Is.EqualTo(nextOffset.ToString()), $"record {i}");
            Assert.That(seen[i].StateAfter, Is.EqualTo(SingleFileReaderState.Processing), $"record {i}");
            if (i > 0)
            {
                Assert.That(seen[i].LastProcessedRecordTypeArgument, Is.EqualTo(types[i - 1]), $"record {i}");
                Assert.That(seen[i].OffsetBefore, Is.EqualTo(seen[i - 1].OffsetAfter));
            }
        }

        Assert.That(seen[9].Document, Is.Null);
        Assert.That(seen[9].StateAfter, Is.EqualTo(SingleFileReaderState.Completed));
        Assert.That(seen[9].LastRecordTypeAfter, Is.EqualTo("C"));
        Assert.That(seen[9].OffsetAfter, Is.EqualTo(length.ToString()));
    }
}

using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.TestSupport;

namespace LetsData.Runtime.Tests.Engine;

/// <summary><c>ISystemFileReader.NextRecord(peek: true)</c>: parse and cache the next record without moving anything.</summary>
public class PeekTests
{
    private static (SystemFileReader Reader, CycleParser Parser, List<long> Offsets, int Length) Open(params (string, string)[] records) =>
        Open(new TaskCounters(), records);

    private static (SystemFileReader Reader, CycleParser Parser, List<long> Offsets, int Length) Open(TaskCounters counters,
        params (string, string)[] records)
    {
        var (content, offsets) = CycleParser.Build(records);
        var parser = new CycleParser();
        var scanner = new RecordScanner(new MemoryStream(content), "peek.dat", initialBufferBytes: 16);
        var reader = new SystemFileReader(CycleParser.FileTypeName, "peek.dat", scanner, parser, new PluginCallSite("test"), counters);
        return (reader, parser, offsets, content.Length);
    }

    [Test]
    public void PeekingTwiceReturnsTheSameDocumentAndMovesNothing()
    {
        var (reader, parser, offsets, _) = Open(("A", "a0;"), ("B", "b0;"), ("C", "c0;"));
        Assert.That(reader.NextRecord(), Is.Not.Null);
        var (offsetBefore, typeBefore) = (reader.OffsetBytes, reader.LastRecordType);
        Assert.That((offsetBefore, typeBefore), Is.EqualTo((offsets[1].ToString(), "A")));

        var first = reader.NextRecord(peek: true);
        var second = reader.NextRecord(peek: true);

        Assert.That(first, Is.Not.Null);
        Assert.That(second, Is.SameAs(first));
        Assert.That(first!.DocumentId, Is.EqualTo($"B@{offsets[1]}"));
        Assert.That(reader.OffsetBytes, Is.EqualTo(offsetBefore));
        Assert.That(reader.LastRecordType, Is.EqualTo(typeBefore));
        Assert.That(parser.ParseCalls, Has.Count.EqualTo(2), "a repeated peek does not parse again");
    }

    [Test]
    public void TheNextConsumingReadReturnsTheCachedInstanceAndMovesOn()
    {
        var (reader, parser, offsets, length) = Open(("A", "a0;"), ("B", "b0;"), ("C", "c0;"));

        var peeked = reader.NextRecord(peek: true);
        Assert.That(reader.OffsetBytes, Is.EqualTo("0"));
        Assert.That(reader.LastRecordType, Is.Null);
        var consumed = reader.NextRecord(peek: false);

        Assert.That(consumed, Is.SameAs(peeked));
        Assert.That(reader.OffsetBytes, Is.EqualTo(offsets[1].ToString()));
        Assert.That(reader.LastRecordType, Is.EqualTo("A"));
        Assert.That(reader.NextRecord()!.DocumentId, Is.EqualTo($"B@{offsets[1]}"));
        Assert.That(reader.NextRecord()!.DocumentId, Is.EqualTo($"C@{offsets[2]}"));
        Assert.That(parser.ParseCalls.Select(c => c.LastProcessedRecordType), Is.EqualTo(new[] { null, "A", "B" }));
        Assert.That(reader.OffsetBytes, Is.EqualTo(length.ToString()));
    }

    [Test]
    public void AfterEndOfFileNextRecordReturnsNullAndTheStateIsCompleted()
    {
        var (reader, _, _, length) = Open(("A", "only"));
        Assert.That(reader.State, Is.EqualTo(SingleFileReaderState.Created));
        Assert.That(reader.NextRecord(), Is.Not.Null);
        Assert.That(reader.State, Is.EqualTo(SingleFileReaderState.Processing));

        Assert.That(reader.NextRecord(peek: true), Is.Null);
        Assert.That(reader.State, Is.EqualTo(SingleFileReaderState.Completed));
        Assert.That(reader.NextRecord(), Is.Null);
        Assert.That(reader.NextRecord(peek: true), Is.Null);
        Assert.That(reader.State, Is.EqualTo(SingleFileReaderState.Completed));
        Assert.That(reader.OffsetBytes, Is.EqualTo(length.ToString()));
        Assert.That(reader.LastRecordType, Is.EqualTo("A"));
    }

    /// <summary>The same through the engine: a reader that peeks before consuming sees every record once, in order.</summary>
    [Test]
    public void APeekedRecordCountsOnceItIsConsumed_NotBefore()
    {
        // A checkpoint's offset is the end of the last consumed record: a record only peeked at then is read again by
        // the attempt that resumes there, so counting it at the peek would count it twice over the task.
        var counters = new TaskCounters();
        var (reader, _, _, _) = Open(counters, ("A", "a0;"), ("B", "b0;"));

        reader.NextRecord();
        reader.NextRecord(peek: true);
        var afterPeek = counters.Records;
        reader.NextRecord();

        Assert.That((afterPeek, counters.Records), Is.EqualTo((1, 2)));
    }

    [Test]
    public async Task AReaderThatPeeksBeforeEachReadGetsEveryRecordOnce()
    {
        var (content, offsets) = CycleParser.Build(("A", "a0;"), ("B", "b0;"), ("C", "c0;"), ("A", "a1"));
        var reader = new PeekingReader();

        var result = await LetsDataTestHarness.RunSingleFileStateMachineReaderAsync(() => reader,
            new HarnessFile(CycleParser.FileTypeName, "p.dat", content));

        Assert.That(result.Tasks.Single().ErrorMessage, Is.Null);
        Assert.That(result.Documents.Select(d => d.DocumentId), Is.EqualTo(offsets.Select((o, i) => $"{"ABCA"[i]}@{o}")));
        Assert.That(reader.Parser.ParseCalls, Has.Count.EqualTo(4));
        Assert.That(reader.Problems, Is.Empty);
    }

    private sealed class PeekingReader : CycleFileReader
    {
        public List<string> Problems { get; } = [];

        public override ParseCompositeDocumentResult ParseDocument(string s3FileType, string? lastProcessedRecordType,
            IDocument? lastProcessedDoc, ISystemFileReader fileReader)
        {
            var (offset, type) = (fileReader.OffsetBytes, fileReader.LastRecordType);
            var peeked = fileReader.NextRecord(peek: true);
            if (!ReferenceEquals(fileReader.NextRecord(peek: true), peeked) || fileReader.OffsetBytes != offset
                || fileReader.LastRecordType != type)
            {
                Problems.Add($"peek at {offset} moved the reader or gave another document");
            }

            var consumed = fileReader.NextRecord();
            if (!ReferenceEquals(consumed, peeked))
            {
                Problems.Add($"the read at {offset} did not return the peeked document");
            }

            return CompositeResult.Of(fileReader, consumed);
        }
    }
}

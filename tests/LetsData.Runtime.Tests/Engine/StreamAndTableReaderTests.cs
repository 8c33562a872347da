using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>The engine's Kinesis and DynamoDB-table reader loops, over the harness's in-memory stream and table.</summary>
public class StreamAndTableReaderTests
{
    /// <summary>"ok:&lt;id&gt;" → a document, "bad:…" → an error doc, "skip" → skip, "throw" → an exception.</summary>
    private sealed class CommandReader : IKinesisRecordReader, IDynamoDBTableItemReader
    {
        public List<string> Calls { get; } = [];

        public ParseDocumentResult ParseMessage(string streamArn, string shardId, string partitionKey, string sequenceNumber,
            DateTimeOffset approximateArrivalTimestamp, ReadOnlySpan<byte> data)
        {
            lock (Calls)
            {
                Calls.Add($"{streamArn}|{shardId}|{partitionKey}");
            }

            return Parse(Encoding.UTF8.GetString(data), new Dictionary<string, string> { ["sequenceNumber"] = sequenceNumber });
        }

        public ParseDocumentResult ParseDynamoDBItem(string tableName, int segmentNumber,
            IReadOnlyDictionary<string, object?> keys, IReadOnlyDictionary<string, object?> item)
        {
            lock (Calls)
            {
                Calls.Add($"{tableName}|{segmentNumber}|{keys["id"]}");
            }

            return Parse((string)item["command"]!, null);
        }

        private static ParseDocumentResult Parse(string command, Dictionary<string, string>? offsets) => command switch
        {
            "skip" => new ParseDocumentResult(null, new SkipDoc(offsets, offsets, "skipped", null, "T"), ParseDocumentResultStatus.Skip),
            "throw" => throw new FormatException("cannot parse this"),
            _ when command.StartsWith("bad:", StringComparison.Ordinal) =>
                new ParseDocumentResult(null, new ErrorDoc(offsets, offsets, command[4..], null, "T"), ParseDocumentResultStatus.Error),
            _ => new ParseDocumentResult(null, new Document(command[3..], "T", command[3..], new Dictionary<string, object?>()),
                ParseDocumentResultStatus.Success),
        };
    }

    [Test]
    public async Task AKinesisStreamIsReadOneTaskPerShardWithEveryRecordInOrder()
    {
        var stream = new InMemoryKinesisStream("orders", batchSize: 3);
        for (var i = 0; i < 10; i++)
        {
            stream.Put(i % 2 == 0 ? "shardId-000000000000" : "shardId-000000000001", $"pk{i}", $"ok:doc{i}");
        }

        var reader = new CommandReader();
        var result = await LetsDataTestHarness.RunKinesisRecordReaderAsync(() => reader, stream);

        Assert.That(result.Tasks.Select(t => (t.TaskId, t.Succeeded)),
            Is.EqualTo(new[] { ("shardId-000000000000", true), ("shardId-000000000001", true) }));
        Assert.That(result.Documents.Select(d => d.DocumentId),
            Is.EquivalentTo(Enumerable.Range(0, 10).Select(i => $"doc{i}")));
        // Within a shard, records reach the plugin in sequence order.
        Assert.That(result.Documents.Select(d => d.DocumentId).Where(id => int.Parse(id![3..]) % 2 == 0),
            Is.EqualTo(new[] { "doc0", "doc2", "doc4", "doc6", "doc8" }));
        Assert.That(reader.Calls, Has.Member($"{stream.StreamArn}|shardId-000000000001|pk9"));
    }

    [Test]
    public async Task KinesisErrorDocsSkipsAndAThrowingReaderAreNamedBySequenceNumber()
    {
        var stream = new InMemoryKinesisStream();
        const string shard = "shardId-000000000000";
        stream.Put(shard, "a", "ok:first");
        var badSequence = stream.Put(shard, "b", "bad:price is not a number");
        stream.Put(shard, "c", "skip");
        stream.Put(shard, "d", "ok:second");
        var throwingSequence = stream.Put(shard, "e", "throw");
        stream.Put(shard, "f", "ok:never");

        var result = await LetsDataTestHarness.RunKinesisRecordReaderAsync(() => new CommandReader(), stream);

        Assert.That(result.Documents.Select(d => d.DocumentId), Is.EqualTo(new[] { "first", "second" }));
        Assert.That(result.SkipCount, Is.EqualTo(1));
        var errorDoc = result.ErrorRecords.Single(r => r.Kind == ErrorRecordKind.ErrorDoc);
        Assert.That(errorDoc.ErrorMessage, Is.EqualTo("price is not a number"));
        Assert.That(errorDoc.ErrorStartOffsetMap!["sequenceNumber"], Is.EqualTo(badSequence));
        Assert.That(errorDoc.FileNames, Is.EqualTo(new Dictionary<string, string> { ["stream"] = stream.StreamArn, ["shard"] = shard }));
        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("IKinesisRecordReader.ParseMessage")
            .And.Contain($"Kinesis shard {shard}").And.Contain($"sequence number {throwingSequence}").And.Contain("cannot parse this"));
    }

    [Test]
    public async Task ATableIsScannedOneTaskPerSegmentAndEveryItemIsReadOnce()
    {
        var table = new InMemoryDynamoDBTable("orders", ["id"], totalSegments: 3, pageSize: 2);
        for (var i = 0; i < 11; i++)
        {
            table.Add(new Dictionary<string, object?> { ["id"] = $"k{i}", ["command"] = $"ok:doc{i}" });
        }

        var reader = new CommandReader();
        var result = await LetsDataTestHarness.RunDynamoDBTableItemReaderAsync(() => reader, table);

        Assert.That(result.Tasks.Select(t => t.TaskId), Is.EqualTo(new[] { "segment-0000", "segment-0001", "segment-0002" }));
        Assert.That(result.Tasks.All(t => t.Succeeded), Is.True);
        Assert.That(result.Documents.Select(d => d.DocumentId), Is.EquivalentTo(Enumerable.Range(0, 11).Select(i => $"doc{i}")));
        Assert.That(reader.Calls, Has.Member("orders|2|k2"));
    }

    [Test]
    public async Task ATableItemErrorIsNamedByItsKeysAndAThrowByItsSegmentAndIndex()
    {
        var table = new InMemoryDynamoDBTable("orders", ["id"]);
        table.Add(new Dictionary<string, object?> { ["id"] = "k1", ["command"] = "ok:first" });
        table.Add(new Dictionary<string, object?> { ["id"] = "k2", ["command"] = "ok:second" });
        table.Add(new Dictionary<string, object?> { ["id"] = 42L, ["command"] = "throw" });

        var withErrorDoc = new InMemoryDynamoDBTable("orders", ["id"]);
        withErrorDoc.Add(new Dictionary<string, object?> { ["id"] = 7L, ["command"] = "bad:no price" });

        var thrown = await LetsDataTestHarness.RunDynamoDBTableItemReaderAsync(() => new CommandReader(), table);
        var errored = await LetsDataTestHarness.RunDynamoDBTableItemReaderAsync(() => new CommandReader(), withErrorDoc);

        Assert.That(thrown.Documents.Select(d => d.DocumentId), Is.EqualTo(new[] { "first", "second" }));
        Assert.That(thrown.Tasks.Single().ErrorMessage, Does.Contain("IDynamoDBTableItemReader.ParseDynamoDBItem")
            .And.Contain("DynamoDB scan segment 0 of table orders").And.Contain("item 2"));
        var record = errored.ErrorRecords.Single();
        Assert.That(record.ErrorMessage, Is.EqualTo("no price"));
        // The reader gave no offsets: the engine names the item by its keys.
        Assert.That(record.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["keys"] = "{\"id\":{\"N\":\"7\"}}" }));
        Assert.That(record.FileNames, Is.EqualTo(new Dictionary<string, string> { ["table"] = "orders", ["segment"] = "0" }));
    }

    [Test]
    public async Task ADocumentTheDestinationRefusesBecomesAnErrorRecordAndTheTaskGoesOn()
    {
        var stream = new InMemoryKinesisStream();
        const string shard = "shardId-000000000000";
        stream.Put(shard, "a", "ok:small");
        var refusedSequence = stream.Put(shard, "b", "ok:too-large");
        stream.Put(shard, "c", "ok:after");
        var sinks = new RefusingSinks("too-large");
        var tasks = await PartitionTasks.ForKinesisAsync(stream, CancellationToken.None);
        var engine = new DataTaskEngine("Refusals", new KinesisRecordReaderBinding("test", () => new CommandReader()),
            new RecordSources(Kinesis: stream), sinks, sinks);

        var summary = await engine.RunAsync(tasks);

        Assert.That(summary.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(sinks.Written, Is.EqualTo(new[] { "small", "after" }));
        var error = sinks.Errors.Single();
        Assert.That(error.DocumentId, Is.EqualTo("too-large"));
        Assert.That(error.ErrorMessage, Does.Contain("refused document too-large").And.Contain("larger than the limit"));
        Assert.That(error.ErrorStartOffsetMap!["sequenceNumber"], Is.EqualTo(refusedSequence));
        Assert.That(summary.Tasks.Single().Counters.Documents, Is.EqualTo(2));
        Assert.That(summary.Tasks.Single().Counters.Errors, Is.EqualTo(1));
    }

    private sealed class RefusingSinks(string refusedId) : IDocumentSinkFactory, IErrorSinkFactory, IDocumentSink, IErrorSink
    {
        public string CheckpointId => "refusing";

        public List<string> Written { get; } = [];
        public List<ErrorRecord> Errors { get; } = [];

        public IDocumentSink Open(TaskContext task) => this;
        IErrorSink IErrorSinkFactory.Open(TaskContext task) => this;

        public void Write(IDocument document, ReadOnlySpan<byte> serialized)
        {
            if (document.DocumentId == refusedId)
            {
                throw new DocumentRejectedException("the record is larger than the limit of 1 MiB");
            }

            Written.Add(document.DocumentId!);
        }

        public void Write(ErrorRecord record) => Errors.Add(record);

        public void Complete(bool succeeded)
        {
        }

        public void Dispose()
        {
        }
    }
}

using System.Collections.Concurrent;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.Sqs;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>The engine's SQS Queue Reader loop over the harness's in-memory queue: sharing, FIFO order, delete-after-durable.</summary>
public class SqsQueueReaderTests
{
    /// <summary>"ok:&lt;id&gt;" → a document, "bad:…" → an error doc; records each call's message group and body.</summary>
    private sealed class CommandReader : IQueueMessageReader
    {
        public ConcurrentQueue<(string? Group, string Body, IReadOnlyDictionary<string, string> Attributes)> Calls { get; } = new();

        public ParseDocumentResult ParseMessage(string messageId, string? messageGroupId, string? messageDeduplicationId,
            IReadOnlyDictionary<string, string> messageAttributes, string messageBody)
        {
            Calls.Enqueue((messageGroupId, messageBody, messageAttributes));
            var position = new Dictionary<string, string> { ["messageId"] = messageId };
            return messageBody.StartsWith("bad:", StringComparison.Ordinal)
                ? new ParseDocumentResult(null, new ErrorDoc(position, position, messageBody[4..], null, "T"), ParseDocumentResultStatus.Error)
                : ParseDocumentResult.Success(new Document(messageBody[3..], "T", messageBody[3..], new Dictionary<string, object?>()));
        }
    }

    [Test]
    public async Task TwoTasksShareTheQueueAndDeleteEveryMessageOnceItsOutputIsWritten()
    {
        var queue = new InMemorySqsQueue("docs", batchSize: 3);
        var ids = Enumerable.Range(0, 25).Select(i => queue.Send($"ok:doc{i}", attributes: new Dictionary<string, string> { ["n"] = $"{i}" })).ToList();
        var badId = queue.Send("bad:price is not a number");
        var reader = new CommandReader();

        var result = await LetsDataTestHarness.RunQueueMessageReaderAsync(() => reader, queue, tasks: 2);

        Assert.That(result.Tasks.Select(t => (t.TaskId, t.Succeeded)), Is.EqualTo(new[] { ("queue-0001", true), ("queue-0002", true) }));
        Assert.That(result.Documents.Select(d => d.DocumentId), Is.EquivalentTo(Enumerable.Range(0, 25).Select(i => $"doc{i}")));
        var error = result.ErrorRecords.Single();
        Assert.That(error.ErrorMessage, Does.Contain("price is not a number"));
        Assert.That(error.ErrorStartOffsetMap!["messageId"], Is.EqualTo(badId));
        Assert.That(queue.Count, Is.Zero);
        Assert.That(queue.DeletedMessageIds, Is.EquivalentTo(ids.Append(badId)));
        Assert.That(reader.Calls.Single(c => c.Body == "ok:doc7").Attributes["n"], Is.EqualTo("7"));
    }

    [Test]
    public async Task AFifoQueueHandsEachGroupsMessagesToThePluginInOrder()
    {
        var queue = new InMemorySqsQueue("orders.fifo", batchSize: 4);
        for (var i = 0; i < 30; i++)
        {
            queue.Send($"ok:g{i % 3}-{i / 3:D2}", messageGroupId: $"g{i % 3}", messageDeduplicationId: $"d{i}");
        }

        var reader = new CommandReader();
        var result = await LetsDataTestHarness.RunQueueMessageReaderAsync(() => reader, queue, tasks: 3);

        Assert.That(result.Documents, Has.Count.EqualTo(30));
        foreach (var group in new[] { "g0", "g1", "g2" })
        {
            var bodies = reader.Calls.Where(c => c.Group == group).Select(c => c.Body).ToList();
            Assert.That(bodies, Is.EqualTo(bodies.Order(StringComparer.Ordinal)), $"group {group}");
            Assert.That(bodies, Has.Count.EqualTo(10));
        }
    }

    [TestCase(null)]
    [TestCase(7L)]
    public async Task NoMessageIsDeletedBeforeItsDocumentIsDurable(long? checkpointEveryRecords)
    {
        var inner = new InMemorySqsQueue("docs", batchSize: 10);
        for (var i = 0; i < 1200; i++)
        {
            inner.Send($"ok:doc{i}");
        }

        var sinks = new DurabilityRecordingSinks();
        var queue = new DeleteCheckingQueue(inner, sinks);
        var engine = new DataTaskEngine("TestDataset", new SqsQueueReaderBinding("test", () => new CommandReader()), new RecordSources { Sqs = queue },
            sinks, sinks, new EngineOptions { Concurrency = 2, Checkpoints = checkpointEveryRecords is { } every ? new CheckpointInterval(every, null) : null });

        var summary = await engine.RunAsync(PartitionTasks.ForQueue("docs", 2));

        Assert.That(summary.Tasks.Select(t => t.ErrorMessage), Is.All.Null);
        Assert.That(queue.Violations, Is.Empty);
        Assert.That(inner.Count, Is.Zero);
        Assert.That(inner.DeletedMessageIds, Has.Count.EqualTo(1200));
        // Holding at most a few hundred messages: checkpoints were asked for along the way, not only at the end.
        Assert.That(queue.DeleteCalls, Is.GreaterThan(2));
    }

    [Test]
    public async Task ATaskStoppedByTheResultLimitReturnsTheMessagesItDidNotHandle()
    {
        var queue = new InMemorySqsQueue("docs", batchSize: 10);
        for (var i = 0; i < 10; i++)
        {
            queue.Send($"ok:doc{i}");
        }

        var sinks = new CapturingSinks();
        var engine = new DataTaskEngine("TestDataset", new SqsQueueReaderBinding("test", () => new CommandReader()), new RecordSources { Sqs = queue },
            sinks, sinks, new EngineOptions { MaxResultsPerTask = 4 });

        await engine.RunAsync(PartitionTasks.ForQueue("docs", 1));

        Assert.That(sinks.Documents.Count(), Is.EqualTo(4));
        Assert.That(queue.DeletedMessageIds, Has.Count.EqualTo(4));
        var again = new List<SqsMessage>();
        await queue.ReceiveAsync(again, CancellationToken.None);
        Assert.That(again.Select(m => m.Body), Is.EqualTo(Enumerable.Range(4, 6).Select(i => $"ok:doc{i}")));
    }

    // Asked for at the last message of a receive: the task stops before the next receive. Asked for within a receive:
    // the engine looks at stop requests every 1024 results, so the task stops there and releases the rest of the receive.
    [TestCase(1000, 1000)]
    [TestCase(1021, 1024)]
    public async Task AStopRequestEndsTheTaskAtACheckpointThatDeletesWhatItHandledAndReleasesTheRest(int stopAt, int handled)
    {
        var queue = new InMemorySqsQueue("docs", batchSize: 10);
        for (var i = 0; i < 1500; i++)
        {
            queue.Send($"ok:doc{i}");
        }

        using var stop = new CancellationTokenSource();
        var sinks = new CapturingSinks();
        var engine = new DataTaskEngine("TestDataset", new SqsQueueReaderBinding("test", () => new StoppingReader(stop, stopAt)),
            new RecordSources { Sqs = queue }, sinks, sinks, new EngineOptions());

        var summary = await engine.RunAsync(PartitionTasks.ForQueue("docs", 1), stop.Token);

        var task = summary.Tasks.Single();
        Assert.That((task.Status, task.ErrorMessage), Is.EqualTo((DataTaskStatus.Rerun, (string?)null)));
        Assert.That(queue.DeletedMessageIds, Has.Count.EqualTo(handled));
        Assert.That(sinks.Documents.Count(), Is.EqualTo(handled));
        var left = new List<SqsMessage>();
        await queue.ReceiveAsync(left, CancellationToken.None);
        Assert.That(left[0].Body, Is.EqualTo($"ok:doc{handled}"), "the messages received but not handled are visible again");
        Assert.That(queue.Count, Is.EqualTo(1500 - handled));
    }

    [Test]
    public async Task AContinuousTaskKeepsReceivingThroughEmptyReceivesUntilStoppedAndEndsRerun()
    {
        var inner = new InMemorySqsQueue("docs");
        for (var i = 0; i < 5; i++)
        {
            inner.Send($"ok:doc{i}");
        }

        using var stop = new CancellationTokenSource();
        var queue = new ContinuousQueue(inner, emptyReceivesBeforeStop: 25, stop);
        var sinks = new CapturingSinks();
        var engine = new DataTaskEngine("TestDataset", new SqsQueueReaderBinding("test", () => new CommandReader()),
            new RecordSources { Sqs = queue }, sinks, sinks, new EngineOptions());

        var summary = await engine.RunAsync(PartitionTasks.ForQueue("docs", 1), stop.Token);

        Assert.That(summary.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Rerun), summary.Tasks.Single().ErrorMessage);
        Assert.That(queue.EmptyReceives, Is.EqualTo(25), "far past LetsData's 10 empty receives of DrainQueues");
        Assert.That(sinks.Documents.Count(), Is.EqualTo(5));
        Assert.That(inner.Count, Is.Zero);
    }

    [Test]
    public async Task AnIdleContinuousTaskEndsRerunAtItsTimeBox()
    {
        var inner = new InMemorySqsQueue("docs");
        inner.Send("ok:doc0");
        var time = new State.ManualTimeProvider(DateTimeOffset.UnixEpoch);
        // No stop request: each empty receive lets 10 s pass, the time box is a minute.
        var queue = new ContinuousQueue(inner, emptyReceivesBeforeStop: int.MaxValue, stop: null, afterEmpty: () => time.Advance(TimeSpan.FromSeconds(10)));
        var sinks = new CapturingSinks();
        var engine = new DataTaskEngine("TestDataset", new SqsQueueReaderBinding("test", () => new CommandReader()),
            new RecordSources { Sqs = queue }, sinks, sinks, new EngineOptions { Time = time, MaxTaskTime = TimeSpan.FromMinutes(1) });

        var summary = await engine.RunAsync(PartitionTasks.ForQueue("docs", 1));

        Assert.That(summary.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Rerun), summary.Tasks.Single().ErrorMessage);
        Assert.That(queue.EmptyReceives, Is.EqualTo(6));
        Assert.That(inner.Count, Is.Zero);
    }

    /// <summary>A Continuous queue that requests a stop after so many empty receives (and runs <c>afterEmpty</c> after each).</summary>
    private sealed class ContinuousQueue(InMemorySqsQueue inner, int emptyReceivesBeforeStop, CancellationTokenSource? stop, Action? afterEmpty = null)
        : ISqsQueueSource
    {
        public int EmptyReceives { get; private set; }
        public string QueueName => inner.QueueName;
        public TimeSpan VisibilityTimeout => inner.VisibilityTimeout;
        public bool Continuous => true;
        public int StopAfterConsecutiveEmptyReceives => 1;

        public async ValueTask ReceiveAsync(List<SqsMessage> batch, CancellationToken cancellationToken)
        {
            await inner.ReceiveAsync(batch, cancellationToken);
            if (batch.Count == 0)
            {
                afterEmpty?.Invoke();
                if (++EmptyReceives == emptyReceivesBeforeStop)
                {
                    await stop!.CancelAsync();
                }
            }
        }

        public ValueTask DeleteAsync(IReadOnlyList<SqsMessage> messages, CancellationToken cancellationToken) => inner.DeleteAsync(messages, cancellationToken);

        public ValueTask ChangeVisibilityAsync(IReadOnlyList<SqsMessage> messages, TimeSpan timeout, CancellationToken cancellationToken) =>
            inner.ChangeVisibilityAsync(messages, timeout, cancellationToken);
    }

    private sealed class StoppingReader(CancellationTokenSource stop, int atMessage) : IQueueMessageReader
    {
        private readonly CommandReader _inner = new();
        private int _messages;

        public ParseDocumentResult ParseMessage(string messageId, string? messageGroupId, string? messageDeduplicationId,
            IReadOnlyDictionary<string, string> messageAttributes, string messageBody)
        {
            if (++_messages == atMessage)
            {
                stop.Cancel();
            }

            return _inner.ParseMessage(messageId, messageGroupId, messageDeduplicationId, messageAttributes, messageBody);
        }
    }

    [Test]
    public async Task HeldMessagesGetMoreVisibilityAndACheckpointWhenHalfTheirTimeoutHasGone()
    {
        var inner = new InMemorySqsQueue("docs", batchSize: 10);
        for (var i = 0; i < 10; i++)
        {
            inner.Send($"ok:doc{i}");
        }

        var sinks = new DurabilityRecordingSinks();
        var queue = new DeleteCheckingQueue(inner, sinks);
        var time = new State.ManualTimeProvider(DateTimeOffset.UnixEpoch);
        // Each message takes 6 s of the queue's 30 s visibility: at the 4th (18 s after the receive) half of it has gone.
        var reader = new TimeTakingReader(time, TimeSpan.FromSeconds(6));
        var engine = new DataTaskEngine("TestDataset", new SqsQueueReaderBinding("test", () => reader), new RecordSources { Sqs = queue },
            sinks, sinks, new EngineOptions { Time = time });

        var summary = await engine.RunAsync(PartitionTasks.ForQueue("docs", 1));

        Assert.That(summary.Tasks.Single().ErrorMessage, Is.Null);
        // Extended before the 4th, 7th and 10th message (18 s after the receive or the last extension), for the full
        // visibility timeout, covering the messages held and those not yet handled; the checkpoint asked for at each
        // extension deleted the 4 (then 3) handled up to the next message, so they are not extended again.
        Assert.That(queue.Extensions, Is.EqualTo(new[] { (10, 30), (6, 30), (3, 30) }));
        Assert.That(queue.DeleteCalls, Is.GreaterThanOrEqualTo(3), "a checkpoint was asked for at each extension");
        Assert.That(queue.Violations, Is.Empty);
        Assert.That(inner.Count, Is.Zero);
    }

    private sealed class TimeTakingReader(State.ManualTimeProvider time, TimeSpan perMessage) : IQueueMessageReader
    {
        private readonly CommandReader _inner = new();

        public ParseDocumentResult ParseMessage(string messageId, string? messageGroupId, string? messageDeduplicationId,
            IReadOnlyDictionary<string, string> messageAttributes, string messageBody)
        {
            time.Advance(perMessage);
            return _inner.ParseMessage(messageId, messageGroupId, messageDeduplicationId, messageAttributes, messageBody);
        }
    }

    /// <summary>Documents are durable only once MakeDurable ran after the checkpoint that handed them over (or at Complete).</summary>
    private sealed class DurabilityRecordingSinks : IDocumentSinkFactory, IErrorSinkFactory
    {
        public ConcurrentDictionary<string, byte> Durable { get; } = new();

        public string CheckpointId => "recording";

        public IDocumentSink Open(TaskContext task) => new Sink(this);

        IErrorSink IErrorSinkFactory.Open(TaskContext task) => new Sink(this);

        private sealed class Sink(DurabilityRecordingSinks owner) : IDocumentSink, IErrorSink
        {
            private readonly List<string> _written = [];
            private int _handedOver;
            private int _checkpointed;

            public void Write(IDocument document, ReadOnlySpan<byte> serialized) => _written.Add(document.DocumentId!);

            public void Write(ErrorRecord record)
            {
            }

            public bool TryCheckpoint(out string? position)
            {
                position = null;
                _handedOver = _written.Count;
                return true;
            }

            public void MakeDurable()
            {
                for (var i = _checkpointed; i < _handedOver; i++)
                {
                    owner.Durable.TryAdd(_written[i], 0);
                }

                _checkpointed = _handedOver;
            }

            public void Complete(bool succeeded)
            {
                _handedOver = _written.Count;
                MakeDurable();
            }

            public void Dispose()
            {
            }
        }
    }

    /// <summary>Notes every message deleted whose document was not durable at that moment.</summary>
    private sealed class DeleteCheckingQueue(InMemorySqsQueue inner, DurabilityRecordingSinks sinks) : ISqsQueueSource
    {
        private int _deleteCalls;

        public ConcurrentBag<string> Violations { get; } = [];

        /// <summary>Each visibility change other than a release: how many messages, for how many seconds.</summary>
        public ConcurrentQueue<(int Messages, int Seconds)> Extensions { get; } = new();
        public int DeleteCalls => _deleteCalls;
        public string QueueName => inner.QueueName;
        public TimeSpan VisibilityTimeout => inner.VisibilityTimeout;
        public bool Continuous => inner.Continuous;
        public int StopAfterConsecutiveEmptyReceives => inner.StopAfterConsecutiveEmptyReceives;

        public ValueTask ReceiveAsync(List<SqsMessage> batch, CancellationToken cancellationToken) => inner.ReceiveAsync(batch, cancellationToken);

        public ValueTask DeleteAsync(IReadOnlyList<SqsMessage> messages, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _deleteCalls);
            foreach (var message in messages.Where(m => !sinks.Durable.ContainsKey(m.Body[3..])))
            {
                Violations.Add(message.Body);
            }

            return inner.DeleteAsync(messages, cancellationToken);
        }

        public ValueTask ChangeVisibilityAsync(IReadOnlyList<SqsMessage> messages, TimeSpan timeout, CancellationToken cancellationToken)
        {
            if (timeout > TimeSpan.Zero)
            {
                Extensions.Enqueue((messages.Count, (int)timeout.TotalSeconds));
            }

            return inner.ChangeVisibilityAsync(messages, timeout, cancellationToken);
        }
    }
}

using System.Collections.Concurrent;
using Amazon.SQS;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Aws.Sqs;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.Sqs;
using LetsData.Runtime.Testing;

namespace LetsData.Integration.Tests.Sqs;

/// <summary>
/// The SQS Queue Reader against the SQS emulator, through the real client: DrainQueues ends after K empty receives,
/// tasks share the queue, FIFO groups keep their order, and every message is deleted once its output is written.
/// </summary>
public class SqsReadConnectorTests
{
    private AmazonSQSClient _sqs = null!;

    [OneTimeSetUp]
    public void CreateTheClient() => _sqs = SqsQueues.NewClient();

    [OneTimeTearDown]
    public void DisposeTheClient() => _sqs.Dispose();

    [Test]
    public async Task DrainQueuesEndsATaskAfterTheConfiguredEmptyReceivesInARow()
    {
        var queue = await SqsQueues.CreateAsync(_sqs);
        await SqsQueues.SendAsync(_sqs, queue, ["ok:a", "ok:b"]);
        var source = new ReceiveCountingSource(await SqsQueueSource.OpenAsync(_sqs, queue, null, continuous: false,
            stopAfterConsecutiveEmptyReceives: 3, keepMessages: false, CancellationToken.None));

        var (summary, sinks) = await RunAsync(source, tasks: 1, () => new BodyReader());

        Assert.That(summary.Tasks.Single().Status, Is.EqualTo(DataTaskStatus.Completed), summary.Tasks.Single().ErrorMessage);
        Assert.That(sinks.Documents.Select(d => d.Document.DocumentId), Is.EquivalentTo(new[] { "a", "b" }));
        // One receive with the messages, one empty that made them durable and deleted, then 3 empty ones in a row.
        Assert.That(source.Receives, Is.EqualTo(5));
        Assert.That(await SqsQueues.CountAsync(_sqs, queue), Is.Zero);
    }

    [Test]
    public async Task TwoTasksShareTheQueueAndLeaveItEmpty()
    {
        var queue = await SqsQueues.CreateAsync(_sqs);
        await SqsQueues.SendAsync(_sqs, queue, Enumerable.Range(0, 300).Select(i => $"ok:doc{i}"));
        var source = await SqsQueueSource.OpenAsync(_sqs, queue, null, false, 2, false, CancellationToken.None);
        // Each task's reader waits at its first message until the other task has one too: both surely read the queue.
        using var bothReading = new CountdownEvent(2);

        var (summary, sinks) = await RunAsync(source, tasks: 2, () => new BodyReader(bothReading));

        Assert.That(summary.Tasks.Select(t => (t.TaskId, t.Status)),
            Is.EquivalentTo(new[] { ("queue-0001", DataTaskStatus.Completed), ("queue-0002", DataTaskStatus.Completed) }));
        Assert.That(summary.Tasks.Select(t => t.Counters.Records), Is.All.GreaterThan(0));
        Assert.That(sinks.Documents.Select(d => d.Document.DocumentId), Is.EquivalentTo(Enumerable.Range(0, 300).Select(i => $"doc{i}")));
        Assert.That(await SqsQueues.CountAsync(_sqs, queue), Is.Zero);
    }

    [Test]
    public async Task AFifoQueuesGroupsReachThePluginInOrderAcrossTasks()
    {
        var queue = await SqsQueues.CreateAsync(_sqs, fifo: true);
        var url = await SqsQueues.UrlAsync(_sqs, queue);
        for (var i = 0; i < 60; i += 10)
        {
            await _sqs.SendMessageBatchAsync(url, Enumerable.Range(i, 10).Select(n => new Amazon.SQS.Model.SendMessageBatchRequestEntry($"e{n}", $"ok:g{n % 4}-{n:D3}")
            {
                MessageGroupId = $"g{n % 4}", MessageDeduplicationId = $"d{n}",
            }).ToList());
        }

        var source = await SqsQueueSource.OpenAsync(_sqs, queue, null, false, 2, false, CancellationToken.None);
        var calls = new ConcurrentQueue<(string? Group, string Body, string? Dedup)>();

        var (summary, sinks) = await RunAsync(source, tasks: 3, () => new BodyReader(calls: calls));

        Assert.That(summary.Tasks.Select(t => t.Status), Is.All.EqualTo(DataTaskStatus.Completed));
        Assert.That(sinks.Documents.Count(), Is.EqualTo(60));
        foreach (var group in calls.GroupBy(c => c.Group))
        {
            Assert.That(group.Select(c => c.Body), Is.EqualTo(group.Select(c => c.Body).Order(StringComparer.Ordinal)), group.Key);
        }

        Assert.That(calls.Select(c => c.Dedup), Is.EquivalentTo(Enumerable.Range(0, 60).Select(n => $"d{n}")));
        Assert.That(await SqsQueues.CountAsync(_sqs, queue), Is.Zero);
    }

    [Test]
    public async Task ThrottledReceivesDeletesAndVisibilityChangesAreRetried()
    {
        var queue = await SqsQueues.CreateAsync(_sqs);
        await SqsQueues.SendAsync(_sqs, queue, Enumerable.Range(0, 40).Select(i => $"ok:doc{i}"));
        var faults = new SqsBatchFaults
        {
            ThrottleFirstOf = new Dictionary<string, int> { ["ReceiveMessage"] = 2, ["DeleteMessageBatch"] = 2 },
        };
        // No SDK retries: the source's own retry is what is tested.
        using var client = SqsClients.Create(configure: c =>
        {
            c.HttpClientFactory = faults;
            c.MaxErrorRetry = 0;
        });
        var source = await SqsQueueSource.OpenAsync(client, queue, null, false, 2, false, CancellationToken.None);

        var (summary, sinks) = await RunAsync(source, tasks: 1, () => new BodyReader());

        Assert.That(summary.Tasks.Single().ErrorMessage, Is.Null);
        Assert.That(sinks.Documents.Select(d => d.Document.DocumentId), Is.EquivalentTo(Enumerable.Range(0, 40).Select(i => $"doc{i}")));
        Assert.That(await SqsQueues.CountAsync(_sqs, queue), Is.Zero);
        Assert.That(faults.Count("DeleteMessageBatch"), Is.GreaterThan(2), "deletes went through after the throttled ones");
    }

    private static async Task<(RunSummary Summary, CapturingSinks Sinks)> RunAsync(ISqsQueueSource source, int tasks, Func<IQueueMessageReader> reader)
    {
        var sinks = new CapturingSinks();
        var engine = new DataTaskEngine("SqsIT", new SqsQueueReaderBinding("test", reader), new RecordSources { Sqs = source }, sinks, sinks,
            new EngineOptions { Concurrency = tasks });
        var summary = await engine.RunAsync(PartitionTasks.ForQueue(source.QueueName, tasks)).WaitAsync(TimeSpan.FromMinutes(2));
        return (summary, sinks);
    }

    /// <summary>"ok:&lt;id&gt;" → a document with that id.</summary>
    private sealed class BodyReader(CountdownEvent? bothReading = null, ConcurrentQueue<(string?, string, string?)>? calls = null) : IQueueMessageReader
    {
        private bool _first = true;

        public ParseDocumentResult ParseMessage(string messageId, string? messageGroupId, string? messageDeduplicationId,
            IReadOnlyDictionary<string, string> messageAttributes, string messageBody)
        {
            if (_first && bothReading is not null)
            {
                _first = false;
                bothReading.Signal();
                Assert.That(bothReading.Wait(TimeSpan.FromSeconds(60)), Is.True, "the other task got no message");
            }

            calls?.Enqueue((messageGroupId, messageBody, messageDeduplicationId));
            return ParseDocumentResult.Success(new Document(messageBody[3..], "T", messageBody[3..], new Dictionary<string, object?>()));
        }
    }

    private sealed class ReceiveCountingSource(ISqsQueueSource inner) : ISqsQueueSource
    {
        private int _receives;

        public int Receives => _receives;
        public string QueueName => inner.QueueName;
        public TimeSpan VisibilityTimeout => inner.VisibilityTimeout;
        public bool Continuous => inner.Continuous;
        public int StopAfterConsecutiveEmptyReceives => inner.StopAfterConsecutiveEmptyReceives;

        public ValueTask ReceiveAsync(List<SqsMessage> batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _receives);
            return inner.ReceiveAsync(batch, cancellationToken);
        }

        public ValueTask DeleteAsync(IReadOnlyList<SqsMessage> messages, CancellationToken cancellationToken) => inner.DeleteAsync(messages, cancellationToken);

        public ValueTask ChangeVisibilityAsync(IReadOnlyList<SqsMessage> messages, TimeSpan timeout, CancellationToken cancellationToken) =>
            inner.ChangeVisibilityAsync(messages, timeout, cancellationToken);
    }
}

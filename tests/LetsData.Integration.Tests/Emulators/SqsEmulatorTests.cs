using System.Security.Cryptography;
using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;

// Not ".Emulators": that name is the one-time setup class (Support/Emulators.cs).
namespace LetsData.Integration.Tests.AwsEmulators;

/// <summary>
/// scripts/emulators/sqs-local.js through the real AmazonSQSClient (AWSSDK.SQS 4.x, AWS JSON 1.0). The client checks
/// MD5OfMessageBody and MD5OfMessageAttributes of every send and receive itself, so each call that passes here also
/// proves the digests are AWS's.
/// </summary>
public class SqsEmulatorTests
{
    private AmazonSQSClient _sqs = null!;

    [OneTimeSetUp]
    public void CreateTheClient() => _sqs = new AmazonSQSClient();

    [OneTimeTearDown]
    public void DisposeTheClient() => _sqs.Dispose();

    [Test]
    public async Task Queues_AreCreatedOnce_Found_Listed_AndDeleted()
    {
        var name = NewName("lifecycle");
        var attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = "7" };
        var url = (await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes })).QueueUrl;

        Assert.That(url, Does.EndWith($"/000000000000/{name}"));
        Assert.That((await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes })).QueueUrl, Is.EqualTo(url), "same attributes: the same queue");
        var conflict = Assert.ThrowsAsync<QueueNameExistsException>(() => _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = name, Attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = "8" },
        }))!;
        Assert.That(conflict.ErrorCode, Is.EqualTo("QueueAlreadyExists"), "the code of x-amzn-query-error");
        Assert.That((await _sqs.GetQueueUrlAsync(name)).QueueUrl, Is.EqualTo(url));
        Assert.That((await _sqs.ListQueuesAsync(new ListQueuesRequest { QueueNamePrefix = name })).QueueUrls, Is.EqualTo(new[] { url }));

        await _sqs.DeleteQueueAsync(url);
        var gone = Assert.ThrowsAsync<QueueDoesNotExistException>(() => _sqs.GetQueueUrlAsync(name))!;
        Assert.That(gone.ErrorCode, Is.EqualTo("AWS.SimpleQueueService.NonExistentQueue"));
        Assert.ThrowsAsync<QueueDoesNotExistException>(() => _sqs.SendMessageAsync(url, "x"));
    }

    [Test]
    public async Task QueueAttributes_CountVisibleAndInFlightMessages()
    {
        var url = await CreateQueue("attributes");
        await _sqs.SendMessageAsync(url, "one");
        await _sqs.SendMessageAsync(url, "two");
        await Receive(url, max: 1);

        var attributes = (await _sqs.GetQueueAttributesAsync(url, ["All"])).Attributes;
        Assert.That(attributes["ApproximateNumberOfMessages"], Is.EqualTo("1"));
        Assert.That(attributes["ApproximateNumberOfMessagesNotVisible"], Is.EqualTo("1"));
        Assert.That(attributes["QueueArn"], Is.EqualTo($"arn:aws:sqs:us-east-1:000000000000:{url.Split('/')[^1]}"));
        Assert.That(attributes["VisibilityTimeout"], Is.EqualTo("30"));
        Assert.That(attributes, Does.Not.ContainKey("FifoQueue"));
        Assert.That((await _sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"])).Attributes.Keys, Is.EqualTo(new[] { "ApproximateNumberOfMessages" }));
        Assert.ThrowsAsync<InvalidAttributeNameException>(() => _sqs.GetQueueAttributesAsync(url, ["NoSuchAttribute"]));
        Assert.ThrowsAsync<InvalidAttributeValueException>(() => _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = NewName("bad"), Attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = "43201" },
        }));
    }

    [Test]
    public async Task SendAndReceive_CarryBodyAttributesAndSystemAttributes()
    {
        var url = await CreateQueue("attrs");
        var sent = await _sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url,
            MessageBody = "héllo ✓",
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                ["text"] = new() { DataType = "String", StringValue = "value" },
                ["count"] = new() { DataType = "Number.int", StringValue = "42" },
                ["bytes"] = new() { DataType = "Binary", BinaryValue = new MemoryStream([0, 1, 2, 255]) },
                ["other.a"] = new() { DataType = "String", StringValue = "a" },
            },
        });
        Assert.That(sent.MD5OfMessageBody, Is.EqualTo(Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes("héllo ✓")))));

        var message = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = url, MessageSystemAttributeNames = ["All"], MessageAttributeNames = ["All"],
        })).Messages.Single();
        Assert.That((message.MessageId, message.Body), Is.EqualTo((sent.MessageId, "héllo ✓")));
        Assert.That(message.MD5OfMessageAttributes, Is.EqualTo(sent.MD5OfMessageAttributes), "all attributes returned: the digest of the send");
        Assert.That(message.MessageAttributes["count"].StringValue, Is.EqualTo("42"));
        Assert.That(message.MessageAttributes["bytes"].BinaryValue.ToArray(), Is.EqualTo(new byte[] { 0, 1, 2, 255 }));
        Assert.That(message.Attributes.Keys, Is.EquivalentTo(new[] { "SenderId", "SentTimestamp", "ApproximateReceiveCount", "ApproximateFirstReceiveTimestamp" }));
        Assert.That(message.Attributes["ApproximateReceiveCount"], Is.EqualTo("1"));
        Assert.That(long.Parse(message.Attributes["SentTimestamp"], System.Globalization.CultureInfo.InvariantCulture),
            Is.EqualTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()).Within(60_000));
    }

    [Test]
    public async Task ReceiveMessage_ReturnsOnlyTheAttributesAskedFor()
    {
        var url = await CreateQueue("filter");
        await _sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = url, MessageBody = "b",
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                ["trace.id"] = new() { DataType = "String", StringValue = "1" },
                ["trace.span"] = new() { DataType = "String", StringValue = "2" },
                ["tenant"] = new() { DataType = "String", StringValue = "3" },
            },
        });
        var message = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = url, MessageAttributeNames = ["trace.*"], MessageSystemAttributeNames = ["ApproximateReceiveCount"],
        })).Messages.Single();

        // The SDK has checked MD5OfMessageAttributes against the two returned attributes.
        Assert.That(message.MessageAttributes.Keys, Is.EquivalentTo(new[] { "trace.id", "trace.span" }));
        Assert.That(message.Attributes.Keys, Is.EqualTo(new[] { "ApproximateReceiveCount" }));
    }

    [Test]
    public async Task LongPoll_ReturnsAMessageSentWhileItWaits()
    {
        var url = await CreateQueue("longpoll");
        var waiting = _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 20 });
        await _sqs.SendMessageAsync(url, "late");
        var messages = (await waiting).Messages;
        Assert.That(messages.Select(m => m.Body), Is.EqualTo(new[] { "late" }));
    }

    [Test]
    public async Task LongPoll_WithNothingToReceive_ReturnsNoMessages()
    {
        var url = await CreateQueue("empty");
        var answer = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 1 });
        Assert.That(answer.Messages ?? [], Is.Empty);
    }

    [Test]
    public async Task AMessageNotDeleted_ComesBackAfterItsVisibilityTimeout_WithANewReceiptHandle()
    {
        var url = await CreateQueue("visibility");
        await _sqs.SendMessageAsync(url, "again");
        var first = (await Receive(url, visibilityTimeout: 1)).Single();
        Assert.That(await Receive(url), Is.Empty, "in flight");

        var second = await ReceiveWithin(url);
        Assert.That(second.MessageId, Is.EqualTo(first.MessageId));
        Assert.That(second.ReceiptHandle, Is.Not.EqualTo(first.ReceiptHandle));
        Assert.That(second.Attributes["ApproximateReceiveCount"], Is.EqualTo("2"));
    }

    [Test]
    public async Task ChangeMessageVisibility_MakesAMessageVisibleAgain_OnlyWhileInFlight()
    {
        var url = await CreateQueue("change");
        await _sqs.SendMessageAsync(url, "m");
        var received = (await Receive(url)).Single();
        await _sqs.ChangeMessageVisibilityAsync(url, received.ReceiptHandle, 0);
        var again = (await Receive(url)).Single();
        Assert.That(again.MessageId, Is.EqualTo(received.MessageId));

        await _sqs.ChangeMessageVisibilityAsync(url, again.ReceiptHandle, 0);
        Assert.ThrowsAsync<MessageNotInflightException>(() => _sqs.ChangeMessageVisibilityAsync(url, again.ReceiptHandle, 10));
        Assert.ThrowsAsync<ReceiptHandleIsInvalidException>(() => _sqs.ChangeMessageVisibilityAsync(url, "not-a-handle", 10));
    }

    [Test]
    public async Task DeleteMessage_WithAStaleHandle_DeletesOnAStandardQueue_AsAwsDoes()
    {
        var url = await CreateQueue("stale");
        await _sqs.SendMessageAsync(url, "m");
        var first = (await Receive(url)).Single();
        await _sqs.ChangeMessageVisibilityAsync(url, first.ReceiptHandle, 0);
        var second = (await Receive(url, visibilityTimeout: 0)).Single(); // visible at once: a receive below would see it

        await _sqs.DeleteMessageAsync(url, first.ReceiptHandle);
        Assert.That(await Receive(url), Is.Empty, "the message is gone");
        await _sqs.DeleteMessageAsync(url, second.ReceiptHandle); // a deleted message's handle: accepted
        Assert.ThrowsAsync<ReceiptHandleIsInvalidException>(() => _sqs.DeleteMessageAsync(url, "bm90IG91cnM="));
    }

    [Test]
    public async Task SendMessageBatch_ReportsEachEntry_AndRefusesMalformedBatches()
    {
        var url = await CreateQueue("sendbatch");
        var answer = await _sqs.SendMessageBatchAsync(url,
        [
            new SendMessageBatchRequestEntry("ok", "fine"),
            new SendMessageBatchRequestEntry("badchars", "bell \u0007"),
            new SendMessageBatchRequestEntry("empty", ""),
            new SendMessageBatchRequestEntry("ok2", "also fine"),
        ]);
        Assert.That(answer.Successful.Select(s => s.Id), Is.EqualTo(new[] { "ok", "ok2" }));
        Assert.That(answer.Successful[0].MD5OfMessageBody, Is.EqualTo(Convert.ToHexStringLower(MD5.HashData("fine"u8))));
        Assert.That(answer.Failed.Select(f => (f.Id, f.Code, f.SenderFault)),
            Is.EqualTo(new[] { ("badchars", "InvalidMessageContents", (bool?)true), ("empty", "MissingParameter", true) }));
        Assert.That((await ReceiveAll(url)).Select(m => m.Body), Is.EquivalentTo(new[] { "fine", "also fine" }));

        Assert.ThrowsAsync<TooManyEntriesInBatchRequestException>(() => _sqs.SendMessageBatchAsync(url,
            Enumerable.Range(0, 11).Select(i => new SendMessageBatchRequestEntry($"e{i}", "x")).ToList()));
        Assert.ThrowsAsync<BatchEntryIdsNotDistinctException>(() => _sqs.SendMessageBatchAsync(url,
            [new SendMessageBatchRequestEntry("same", "a"), new SendMessageBatchRequestEntry("same", "b")]));
        Assert.ThrowsAsync<InvalidBatchEntryIdException>(() => _sqs.SendMessageBatchAsync(url, [new SendMessageBatchRequestEntry("no spaces", "a")]));
        Assert.ThrowsAsync<EmptyBatchRequestException>(() => _sqs.SendMessageBatchAsync(url, []));
        var big = new string('x', 100_000);
        Assert.ThrowsAsync<BatchRequestTooLongException>(() => _sqs.SendMessageBatchAsync(url,
            Enumerable.Range(0, 3).Select(i => new SendMessageBatchRequestEntry($"big{i}", big)).ToList()));
        var tooLong = Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.SendMessageAsync(url, new string('x', 262_145)))!;
        Assert.That(tooLong.ErrorCode, Is.EqualTo("InvalidParameterValue"));
    }

    [Test]
    public async Task DeleteAndChangeVisibilityBatches_ReportEachEntry()
    {
        var url = await CreateQueue("deletebatch");
        await _sqs.SendMessageBatchAsync(url, [new SendMessageBatchRequestEntry("a", "a"), new SendMessageBatchRequestEntry("b", "b")]);
        var received = await ReceiveAll(url);
        Assert.That(received, Has.Count.EqualTo(2));

        var changed = await _sqs.ChangeMessageVisibilityBatchAsync(url,
        [
            new ChangeMessageVisibilityBatchRequestEntry("first", received[0].ReceiptHandle) { VisibilityTimeout = 600 },
            new ChangeMessageVisibilityBatchRequestEntry("bogus", "Ym9ndXM=") { VisibilityTimeout = 600 },
        ]);
        Assert.That(changed.Successful.Select(s => s.Id), Is.EqualTo(new[] { "first" }));
        Assert.That(changed.Failed.Select(f => (f.Id, f.Code)), Is.EqualTo(new[] { ("bogus", "ReceiptHandleIsInvalid") }));

        var deleted = await _sqs.DeleteMessageBatchAsync(url,
        [
            new DeleteMessageBatchRequestEntry("one", received[0].ReceiptHandle),
            new DeleteMessageBatchRequestEntry("two", received[1].ReceiptHandle),
            new DeleteMessageBatchRequestEntry("three", "Ym9ndXM="),
        ]);
        Assert.That(deleted.Successful.Select(s => s.Id), Is.EqualTo(new[] { "one", "two" }));
        Assert.That(deleted.Failed.Select(f => (f.Id, f.Code, f.SenderFault)), Is.EqualTo(new[] { ("three", "ReceiptHandleIsInvalid", (bool?)true) }));
        var counts = (await _sqs.GetQueueAttributesAsync(url, ["All"])).Attributes;
        Assert.That((counts["ApproximateNumberOfMessages"], counts["ApproximateNumberOfMessagesNotVisible"]), Is.EqualTo(("0", "0")));
    }

    [Test]
    public async Task PurgeQueue_EmptiesTheQueue_OncePerMinute()
    {
        var url = await CreateQueue("purge");
        await _sqs.SendMessageAsync(url, "a");
        await _sqs.SendMessageAsync(url, "b");
        await Receive(url);
        await _sqs.PurgeQueueAsync(url);
        Assert.That((await _sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])).Attributes.Values,
            Is.All.EqualTo("0"));
        Assert.ThrowsAsync<PurgeQueueInProgressException>(() => _sqs.PurgeQueueAsync(url));
    }

    [Test]
    public async Task ReceiveMessage_RefusesOutOfRangeParameters()
    {
        var url = await CreateQueue("ranges");
        var tooMany = Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 11 }))!;
        Assert.That(tooMany.ErrorCode, Is.EqualTo("InvalidParameterValue"));
        Assert.That(tooMany.Message, Does.Contain("MaxNumberOfMessages"));
        var tooLong = Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = url, WaitTimeSeconds = 21 }))!;
        Assert.That(tooLong.ErrorCode, Is.EqualTo("InvalidParameterValue"));
    }

    [Test]
    public async Task Fifo_DeliversEachGroupInOrder_AndHoldsAGroupWithAMessageInFlight()
    {
        var url = await CreateFifoQueue("order", contentBased: false);
        var sequence = new List<string>();
        foreach (var (group, body) in new[] { ("g1", "g1-a"), ("g2", "g2-a"), ("g1", "g1-b"), ("g2", "g2-b"), ("g1", "g1-c") })
        {
            var sent = await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = body, MessageGroupId = group, MessageDeduplicationId = body });
            sequence.Add(sent.SequenceNumber);
        }

        Assert.That(sequence.Select(s => decimal.Parse(s, System.Globalization.CultureInfo.InvariantCulture)), Is.Ordered.Ascending.And.Unique);
        var first = (await Receive(url, max: 1)).Single();
        Assert.That(first.Body, Is.EqualTo("g1-a"));
        var second = (await Receive(url, max: 1)).Single();
        Assert.That(second.Body, Is.EqualTo("g2-a"), "g1 has a message in flight");
        Assert.That(await Receive(url, max: 10), Is.Empty, "both groups are held");

        await _sqs.DeleteMessageAsync(url, first.ReceiptHandle);
        var next = await Receive(url, max: 10);
        Assert.That(next.Select(m => m.Body), Is.EqualTo(new[] { "g1-b", "g1-c" }), "g1 in order, g2 still held");
        Assert.That(next[0].Attributes["MessageGroupId"], Is.EqualTo("g1"));
        Assert.That(next[0].Attributes["MessageDeduplicationId"], Is.EqualTo("g1-b"));
        Assert.That(next[0].Attributes["SequenceNumber"], Is.EqualTo(sequence[2]));
    }

    [Test]
    public async Task Fifo_AMessageWhoseVisibilityEnds_IsDeliveredAgainBeforeTheRestOfItsGroup()
    {
        var url = await CreateFifoQueue("redeliver", contentBased: true);
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "first", MessageGroupId = "g" });
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "second", MessageGroupId = "g" });
        var taken = (await Receive(url, max: 1, visibilityTimeout: 1)).Single();
        Assert.That(taken.Body, Is.EqualTo("first"));

        var again = await ReceiveWithin(url);
        Assert.That((again.Body, again.Attributes["ApproximateReceiveCount"]), Is.EqualTo(("first", "2")));

        // The first handle is stale now: on a FIFO queue it is accepted but deletes nothing.
        await _sqs.DeleteMessageAsync(url, taken.ReceiptHandle);
        await _sqs.ChangeMessageVisibilityAsync(url, again.ReceiptHandle, 0);
        Assert.That((await Receive(url, max: 1)).Single().Body, Is.EqualTo("first"));
    }

    [Test]
    public async Task Fifo_AGroupIsHeld_WhileAnyOfItsMessagesIsInFlight_NotOnlyItsHead()
    {
        var url = await CreateFifoQueue("held", contentBased: true);
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "a", MessageGroupId = "g" });
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "b", MessageGroupId = "g" });
        var both = await Receive(url, max: 10);
        Assert.That(both.Select(m => m.Body), Is.EqualTo(new[] { "a", "b" }));

        await _sqs.ChangeMessageVisibilityAsync(url, both[0].ReceiptHandle, 0);
        Assert.That(await Receive(url), Is.Empty, "b is still in flight: the group waits, even for its visible head");
        await _sqs.ChangeMessageVisibilityAsync(url, both[1].ReceiptHandle, 0);
        Assert.That((await Receive(url)).Select(m => m.Body), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Fifo_DeduplicatesByIdOrBody_WithinTheWindow()
    {
        var byId = await CreateFifoQueue("dedupid", contentBased: false);
        var one = await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = byId, MessageBody = "x", MessageGroupId = "g", MessageDeduplicationId = "d" });
        var two = await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = byId, MessageBody = "y", MessageGroupId = "g", MessageDeduplicationId = "d" });
        Assert.That(two.MessageId, Is.EqualTo(one.MessageId), "a duplicate is accepted as the first");
        Assert.That((await ReceiveAll(byId)).Select(m => m.Body), Is.EqualTo(new[] { "x" }));

        var byBody = await CreateFifoQueue("dedupbody", contentBased: true);
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = byBody, MessageBody = "same", MessageGroupId = "g" });
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = byBody, MessageBody = "same", MessageGroupId = "g" });
        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = byBody, MessageBody = "other", MessageGroupId = "g" });
        var received = await ReceiveAll(byBody);
        Assert.That(received.Select(m => m.Body), Is.EqualTo(new[] { "same", "other" }));
        Assert.That(received[0].Attributes["MessageDeduplicationId"], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData("same"u8))));
    }

    [Test]
    public async Task Fifo_RequiresAGroup_AndADeduplicationIdWithoutContentBasedDeduplication()
    {
        var url = await CreateFifoQueue("rules", contentBased: false);
        var noGroup = Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "x", MessageDeduplicationId = "d" }))!;
        Assert.That(noGroup.ErrorCode, Is.EqualTo("MissingParameter"));
        var noDedup = Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "x", MessageGroupId = "g" }))!;
        Assert.That(noDedup.ErrorCode, Is.EqualTo("InvalidParameterValue"));
        var attributes = (await _sqs.GetQueueAttributesAsync(url, ["All"])).Attributes;
        Assert.That((attributes["FifoQueue"], attributes["ContentBasedDeduplication"]), Is.EqualTo(("true", "false")));
        Assert.ThrowsAsync<AmazonSQSException>(() => _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = NewName("nosuffix"), Attributes = new Dictionary<string, string> { ["FifoQueue"] = "true" },
        }));
    }

    [Test]
    public async Task RedrivePolicy_MovesAMessageReceivedTooOften_ToTheDeadLetterQueue()
    {
        var deadLetters = await CreateQueue("dlq");
        var deadLettersArn = (await _sqs.GetQueueAttributesAsync(deadLetters, ["QueueArn"])).Attributes["QueueArn"];
        var url = (await _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = NewName("redrive"),
            Attributes = new Dictionary<string, string> { ["RedrivePolicy"] = $$"""{"deadLetterTargetArn":"{{deadLettersArn}}","maxReceiveCount":"1"}""" },
        })).QueueUrl;
        await _sqs.SendMessageAsync(url, "poison");
        var taken = (await Receive(url)).Single();
        await _sqs.ChangeMessageVisibilityAsync(url, taken.ReceiptHandle, 0);

        Assert.That(await Receive(url), Is.Empty);
        var dead = (await Receive(deadLetters)).Single();
        Assert.That((dead.MessageId, dead.Body), Is.EqualTo((taken.MessageId, "poison")));
        Assert.That(dead.Attributes["DeadLetterQueueSourceArn"], Does.EndWith(url.Split('/')[^1]));
    }

    private static string NewName(string what) => $"letsdata-{what}-{Guid.NewGuid().ToString("N")[..10]}";

    private async Task<string> CreateQueue(string what) => (await _sqs.CreateQueueAsync(NewName(what))).QueueUrl;

    private async Task<string> CreateFifoQueue(string what, bool contentBased) =>
        (await _sqs.CreateQueueAsync(new CreateQueueRequest
        {
            QueueName = NewName(what) + ".fifo",
            Attributes = new Dictionary<string, string> { ["FifoQueue"] = "true", ["ContentBasedDeduplication"] = contentBased ? "true" : "false" },
        })).QueueUrl;

    private async Task<List<Message>> Receive(string url, int max = 10, int? visibilityTimeout = null) =>
        (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = url, MaxNumberOfMessages = max, VisibilityTimeout = visibilityTimeout, MessageSystemAttributeNames = ["All"],
        })).Messages ?? [];

    /// <summary>Every message visible now (each left in flight).</summary>
    private async Task<List<Message>> ReceiveAll(string url)
    {
        var all = new List<Message>();
        for (var batch = await Receive(url); batch.Count > 0; batch = await Receive(url))
        {
            all.AddRange(batch);
        }

        return all;
    }

    /// <summary>Long-polls (1 s at a time, a bounded number of times) until one message comes back.</summary>
    private async Task<Message> ReceiveWithin(string url)
    {
        for (var attempt = 0; attempt < 15; attempt++)
        {
            var messages = (await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = url, MaxNumberOfMessages = 1, WaitTimeSeconds = 1, MessageSystemAttributeNames = ["All"],
            })).Messages;
            if (messages is [var message])
            {
                return message;
            }
        }

        throw new AssertionException("no message became visible again within 15 long polls of 1 s");
    }
}

using System.Collections.Concurrent;
using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Tests.Kinesis;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing.DynamoDB;

namespace LetsData.Runtime.Tests.DynamoDB;

/// <summary>The DynamoDB sink with a fake BatchWriteItem (the emulator tests are in LetsData.Integration.Tests).</summary>
public class DynamoDBDocumentSinkTests
{
    private static readonly DynamoDBKeySchema Schema = new("id", ScalarAttributeType.S, null, null);

    [Test]
    public void A_failed_task_still_writes_the_documents_handed_over()
    {
        using var client = new FakeDynamoDB();
        using (var sink = Open(client))
        {
            for (var i = 0; i < 30; i++)
            {
                sink.Write(new TestDocument($"id-{i}", null, "{}"), "{}");
            }

            sink.Complete(false);
        }

        // 25 went out when the batch was full; the 5 still batched go out on Complete too.
        Assert.That(client.Written.Order(), Is.EqualTo(Enumerable.Range(0, 30).Select(i => $"id-{i}").Order()));
    }

    [Test]
    public void A_failed_task_is_not_failed_again_by_a_write_the_table_refuses()
    {
        using var client = FakeDynamoDB.Refusing("AccessDeniedException");
        using var sink = Open(client);
        sink.Write(new TestDocument("a", null, "{}"), "{}");

        Assert.DoesNotThrow(() => sink.Complete(false));
        Assert.That(client.Calls, Is.EqualTo(1));
    }

    [Test]
    public void A_succeeded_task_fails_on_a_write_the_table_refuses()
    {
        using var client = FakeDynamoDB.Refusing("AccessDeniedException");
        using var sink = Open(client);
        sink.Write(new TestDocument("a", null, "{}"), "{}");

        var e = Assert.Throws<DynamoDBOperationException>(() => sink.Complete(true))!;
        Assert.That(e.Message, Does.Contain("AccessDeniedException").And.Contain("'out'").And.Contain("task-1"));
    }

    private static DynamoDBDocumentSink Open(FakeDynamoDB client) =>
        new(Schema, keyAttributeName: null, new DynamoDBBatchWriter(client, "out", "task-1", DynamoDBWriteOptions.Default, new DynamoDBWriteCounters()));

    /// <summary>Takes every put of <c>BatchWriteItem</c> (or refuses the call); makes no other call and no connection.</summary>
    private sealed class FakeDynamoDB() : AmazonDynamoDBClient(
        new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:1" })
    {
        private int _calls;

        public ConcurrentQueue<string> Written { get; } = new();

        public Exception? Refusal { get; init; }

        public static FakeDynamoDB Refusing(string errorCode) =>
            new() { Refusal = new AmazonDynamoDBException("from the fake") { ErrorCode = errorCode, StatusCode = HttpStatusCode.BadRequest } };

        public int Calls => Volatile.Read(ref _calls);

        public override Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            if (Refusal is not null)
            {
                return Task.FromException<BatchWriteItemResponse>(Refusal);
            }

            foreach (var put in request.RequestItems["out"])
            {
                Written.Enqueue(put.PutRequest.Item["id"].S);
            }

            return Task.FromResult(new BatchWriteItemResponse());
        }
    }
}

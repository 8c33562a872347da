using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using LetsData.Runtime.Aws.Sqs;

namespace LetsData.Integration.Tests.Sqs;

/// <summary>Queues in the SQS emulator for the connector tests: created with unique names, drained and counted.</summary>
internal static class SqsQueues
{
    public static AmazonSQSClient NewClient() => SqsClients.Create();

    /// <summary>Creates a queue (FIFO when <paramref name="fifo"/>) and returns its name.</summary>
    public static async Task<string> CreateAsync(IAmazonSQS client, bool fifo = false, int visibilityTimeoutSeconds = 30)
    {
        var name = $"letsdata-{Guid.NewGuid().ToString("N")[..12]}{(fifo ? ".fifo" : "")}";
        var attributes = new Dictionary<string, string> { ["VisibilityTimeout"] = visibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture) };
        if (fifo)
        {
            attributes["FifoQueue"] = "true";
        }

        await client.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes });
        return name;
    }

    public static async Task<string> UrlAsync(IAmazonSQS client, string name) => (await client.GetQueueUrlAsync(name)).QueueUrl;

    /// <summary>Receives and deletes every message until a receive comes back empty; in the order received.</summary>
    public static async Task<List<Message>> DrainAsync(IAmazonSQS client, string name)
    {
        var url = await UrlAsync(client, name);
        var messages = new List<Message>();
        while (true)
        {
            var response = await client.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = url, MaxNumberOfMessages = 10, MessageAttributeNames = ["All"], MessageSystemAttributeNames = ["All"],
            });
            if (response.Messages is not { Count: > 0 } received)
            {
                return messages;
            }

            messages.AddRange(received);
            foreach (var message in received)
            {
                await client.DeleteMessageAsync(url, message.ReceiptHandle);
            }
        }
    }

    /// <summary>Messages in the queue, waiting or in flight.</summary>
    public static async Task<int> CountAsync(IAmazonSQS client, string name)
    {
        var attributes = (await client.GetQueueAttributesAsync(await UrlAsync(client, name),
            ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])).Attributes;
        return int.Parse(attributes["ApproximateNumberOfMessages"], CultureInfo.InvariantCulture)
            + int.Parse(attributes["ApproximateNumberOfMessagesNotVisible"], CultureInfo.InvariantCulture);
    }

    /// <summary>Sends <paramref name="bodies"/> in batches of 10.</summary>
    public static async Task SendAsync(IAmazonSQS client, string name, IEnumerable<string> bodies)
    {
        var url = await UrlAsync(client, name);
        foreach (var chunk in bodies.Chunk(10))
        {
            var response = await client.SendMessageBatchAsync(url,
                chunk.Select((body, i) => new SendMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), body)).ToList());
            Assert.That(response.Failed ?? [], Is.Empty);
        }
    }
}

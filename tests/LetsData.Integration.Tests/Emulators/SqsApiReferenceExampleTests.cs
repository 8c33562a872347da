using System.Net;
using System.Text.Json.Nodes;

// Not ".Emulators": that name is the one-time setup class (Support/Emulators.cs).
namespace LetsData.Integration.Tests.AwsEmulators;

/// <summary>
/// The JSON-protocol examples of the Amazon SQS API Reference (SendMessage, ReceiveMessage, DeleteMessageBatch) and of
/// the developer guide's JSON error example, sent to scripts/emulators/sqs-local.js as written there, down to the queue
/// URL of account 177715257436 with its trailing slash; the answers are held to the published sample responses (the
/// digests are AWS's own numbers), so these do not test the emulator through its own assumptions.
/// </summary>
public class SqsApiReferenceExampleTests
{
    private const string ExampleQueueUrl = "https://sqs.us-east-1.amazonaws.com/177715257436/MyQueue/";

    private const string SendMessageExample = """
        {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/177715257436/MyQueue/",
            "MessageBody": "This is a test message",
            "MessageAttributes": {
                "my_attribute_name_1": {
                    "DataType": "String",
                    "StringValue": "my_attribute_value_1"
                },
                "my_attribute_name_2": {
                    "DataType": "String",
                    "StringValue": "my_attribute_value_2"
                }
            }
        }
        """;

    private const string ReceiveMessageExample = """
        {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/177715257436/MyQueue/",
            "MaxNumberOfMessages": 5,
            "VisibilityTimeout": 15,
            "AttributeNames": ["All"]
        }
        """;

    private const string LongPollReceiveMessageExample = """
        {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/177715257436/MyQueue/",
            "WaitTimeSeconds": 10,
            "MaxNumberOfMessages": 5,
            "VisibilityTimeout": 15,
            "AttributeNames": ["All"]
        }
        """;

    private const string DeleteMessageBatchExample = """
        {
            "QueueUrl": "https://sqs.us-east-1.amazonaws.com/177715257436/MyQueue/",
            "Entries": [
                {
                    "Id": "msg1",
                    "ReceiptHandle": "AQEBaZ+j5qUoOAoxlmrCQPkBm9njMWXqemmIG6shMHCO6fV20JrQYg/AiZ8JELwLwOu5U61W+aIX5Qzu7GGofxJuvzymr4Ph53RiR0mudj4InLSgpSspYeTRDteBye5tV/txbZDdNZxsi+qqZA9xPnmMscKQqF6pGhnGIKrnkYGl45Nl6GPIZv62LrIRb6mSqOn1fn0yqrvmWuuY3w2UzQbaYunJWGxpzZze21EOBtywknU3Je/g7G9is+c6K9hGniddzhLkK1tHzZKjejOU4jokaiB4nmi0dF3JqLzDsQuPF0Gi8qffhEvw56nl8QCbluSJScFhJYvoagGnDbwOnd9z50L239qtFIgETdpKyirlWwl/NGjWJ45dqWpiW3d2Ws7q"
                },
                {
                    "Id": "msg2",
                    "ReceiptHandle": "AQEB3LQoW7GQWgodQCEJXHjMvO/QkeCHiRldRfLC/E6RUggm+BjpthqxfoUOUn6Vs271qmrBaufFqEmnMKgk2n1EuUBne1pe+hZcrDE8IveUUPmqkUT54FGhAAjPX3oEIryz/XeQ/muKAuLclcZvt2Q+ZDPW8DvZqMa1RoHxOqSq+6kQ4PwgQxB+VqDYvIc/LpHOoL4PTROBXgLPjWrzz/knK6HTzKpqC4ESvFdJ/dkk2nvS0iqYOly5VQknK/lv/rTUOgEYevjJSrNLIPDgZGyvgcLwbm6+yo1cW/c9cPDiVm96gIhVkuiCZ1gtskoOtyroZVPcY71clDG2EPZJeY8akMd3u+sXEMWhiOPFs1cgWQs2ugsL+vdwMCbsZRkXbJv7"
                }
            ]
        }
        """;

    private AwsJsonClient _client = null!;

    [OneTimeSetUp]
    public void CreateTheClient() => _client = new AwsJsonClient(AwsJsonClient.EndpointFromEnvironment("AWS_ENDPOINT_URL_SQS"));

    [OneTimeTearDown]
    public void DisposeTheClient() => _client.Dispose();

    /// <summary>A fresh, empty MyQueue for each example (the examples name it; no other test does).</summary>
    [SetUp]
    public async Task MakeMyQueueAnew()
    {
        await _client.PostAsync("AmazonSQS.DeleteQueue", $$"""{"QueueUrl":"{{ExampleQueueUrl}}"}""");
        await _client.CallAsync("AmazonSQS.CreateQueue", new { QueueName = "MyQueue" });
    }

    [Test]
    public async Task SendMessage_AnswersWithTheSampleResponsesDigests()
    {
        var answer = await _client.PostAsync("AmazonSQS.SendMessage", SendMessageExample);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body);
        Assert.That(answer.Headers["content-type"], Is.EqualTo("application/x-amz-json-1.0"));
        Assert.That(answer.Headers, Does.ContainKey("x-amzn-requestid"));
        var json = answer.Json.AsObject();
        Assert.That(json.Select(p => p.Key), Is.EquivalentTo(new[] { "MD5OfMessageAttributes", "MD5OfMessageBody", "MessageId" }));
        Assert.That((string?)json["MD5OfMessageAttributes"], Is.EqualTo("c48838208d2b4e14e3ca0093a8443f09"));
        Assert.That((string?)json["MD5OfMessageBody"], Is.EqualTo("fafb00f5732ab283681e124bf8747ed1"));
        Assert.That(Guid.TryParse((string?)json["MessageId"], out _), Is.True);
    }

    [Test]
    public async Task ReceiveMessage_AnswersInTheSampleResponsesShape()
    {
        var sent = (await _client.PostAsync("AmazonSQS.SendMessage", SendMessageExample)).Json;
        var answer = await _client.PostAsync("AmazonSQS.ReceiveMessage", ReceiveMessageExample);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body);
        var message = answer.Json["Messages"]!.AsArray().Single()!.AsObject();
        Assert.That(message.Select(p => p.Key), Is.EquivalentTo(new[] { "Attributes", "Body", "MD5OfBody", "MessageId", "ReceiptHandle" }),
            "no message attributes were asked for");
        Assert.That((string?)message["Body"], Is.EqualTo("This is a test message"));
        Assert.That((string?)message["MD5OfBody"], Is.EqualTo("fafb00f5732ab283681e124bf8747ed1"));
        Assert.That((string?)message["MessageId"], Is.EqualTo((string?)sent["MessageId"]));
        var attributes = message["Attributes"]!.AsObject();
        Assert.That(attributes.Select(p => p.Key), Is.EquivalentTo(new[] { "SenderId", "ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount", "SentTimestamp" }));
        Assert.That(attributes.Select(p => p.Value!.GetValueKind()), Is.All.EqualTo(System.Text.Json.JsonValueKind.String), "attribute values are strings");
        Assert.That((string?)attributes["ApproximateReceiveCount"], Is.EqualTo("1"));
    }

    [Test]
    public async Task LongPollingReceiveMessage_ReturnsAMessageSentDuringTheWait()
    {
        var waiting = _client.PostAsync("AmazonSQS.ReceiveMessage", LongPollReceiveMessageExample);
        await _client.CallAsync("AmazonSQS.SendMessage", new { QueueUrl = ExampleQueueUrl, MessageBody = "during the wait" });
        var answer = await waiting;
        Assert.That((string?)answer.Json["Messages"]![0]!["Body"], Is.EqualTo("during the wait"));
    }

    [Test]
    public async Task DeleteMessageBatch_AsWritten_FailsEachForeignHandle_WithAws_Codes()
    {
        var answer = await _client.PostAsync("AmazonSQS.DeleteMessageBatch", DeleteMessageBatchExample);

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), "a batch answers 200 and reports each entry");
        Assert.That(answer.Json["Successful"]!.AsArray(), Is.Empty);
        var failed = answer.Json["Failed"]!.AsArray().Select(f => ((string?)f!["Id"], (string?)f["Code"], (bool?)f["SenderFault"]));
        Assert.That(failed, Is.EquivalentTo(new[] { ("msg1", "ReceiptHandleIsInvalid", (bool?)true), ("msg2", "ReceiptHandleIsInvalid", true) }));
    }

    [Test]
    public async Task DeleteMessageBatch_WithTheHandlesOfAReceive_AnswersAsTheSampleResponse()
    {
        await _client.PostAsync("AmazonSQS.SendMessage", SendMessageExample);
        await _client.PostAsync("AmazonSQS.SendMessage", SendMessageExample);
        var handles = (await _client.PostAsync("AmazonSQS.ReceiveMessage", ReceiveMessageExample)).Json["Messages"]!.AsArray()
            .Select(m => (string)m!["ReceiptHandle"]!).ToList();
        Assert.That(handles, Has.Count.EqualTo(2));
        var request = JsonNode.Parse(DeleteMessageBatchExample)!;
        request["Entries"]![0]!["ReceiptHandle"] = handles[0];
        request["Entries"]![1]!["ReceiptHandle"] = handles[1];

        var answer = await _client.PostAsync("AmazonSQS.DeleteMessageBatch", request.ToJsonString());

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.OK), answer.Body);
        Assert.That(answer.Json["Failed"]!.AsArray(), Is.Empty);
        Assert.That(answer.Json["Successful"]!.AsArray().Select(s => (string?)s!["Id"]), Is.EquivalentTo(new[] { "msg1", "msg2" }));
        Assert.That((await _client.PostAsync("AmazonSQS.ReceiveMessage", ReceiveMessageExample)).Json.AsObject(), Is.Empty, "both deleted");
    }

    [Test]
    public async Task AMissingQueue_AnswersAsTheGuidesJsonErrorExample()
    {
        var answer = await _client.PostAsync("AmazonSQS.SendMessage", SendMessageExample.Replace("/MyQueue/", "/NoSuchQueue/", StringComparison.Ordinal));

        Assert.That(answer.Status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(answer.Headers["x-amzn-query-error"], Is.EqualTo("AWS.SimpleQueueService.NonExistentQueue;Sender"));
        Assert.That(answer.Headers["content-type"], Is.EqualTo("application/x-amz-json-1.0"));
        Assert.That(answer.Json.ToJsonString(), Is.EqualTo("""{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"""));
    }
}

using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.Sqs;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.Bridge;

/// <summary>
/// A Python or JavaScript <c>QueueMessageReader</c> (tests/TestPlugins/Bridge/python-readers, js-readers) run by the
/// published worker against the SQS emulator, through the bridge host inside the confined data-task processes: every
/// message becomes its document or, for the one the reader raises on, an error record naming the function, and the
/// queue ends empty. With <c>LAMBDA_AND_SAGEMAKER</c>, the project's <c>SagemakerVectorsInterface</c> and the local
/// model server make the vector documents.
/// </summary>
public class BridgeSqsTests() : PublishedWorkerSqsTests("letsdata-bridge-sqs-")
{
    [TestCase("python", "python-readers")]
    [TestCase("javascript", "js-readers")]
    public async Task QueueMessageReader_WritesEachMessagesDocumentAnErrorRecordForTheOneItRaisesOn_AndEmptiesTheQueue(string language, string project)
    {
        var queue = await SqsQueues.CreateAsync(Sqs);
        var bodies = Enumerable.Range(0, 30).Select(i => $"doc{i}").Append("raise").ToList();
        await SqsQueues.SendAsync(Sqs, queue, bodies);

        var result = Run(Dataset(queue, language, project));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("Dataset BridgedQueue: 2 task(s) completed, 0 errored"), result.ToString());
        var documents = Lines("documents");
        Assert.That(documents.Select(d => (string)d["documentId"]!), Is.EquivalentTo(bodies.Take(30)));
        Assert.That(documents.Select(d => d["messageAttributes"]!.ToJsonString()), Is.All.EqualTo("{}"));
        Assert.That(documents.Select(d => (string?)d["messageGroupId"]), Is.All.Null, "a standard queue's messages have no group");
        var error = Lines("errors").Single();
        Assert.That((string)error["errorMessage"]!, Does.StartWith("QueueMessageReader.parseMessage raised").And.Contain("cannot parse message"));
        Assert.That(error["errorStartOffsetMap"]!["messageId"], Is.Not.Null, error.ToJsonString());
        Assert.That(await SqsQueues.CountAsync(Sqs, queue), Is.Zero, "every message deleted, the failed one too (its error record is written)");
    }

    [TestCase("python", "python-readers")]
    [TestCase("javascript", "js-readers")]
    public async Task Vectorization_WritesTheProjectsVectorDocs_AnExceptionInEitherFunctionIsAnErrorRecordNamingIt(string language, string project)
    {
        var queue = await SqsQueues.CreateAsync(Sqs);
        await SqsQueues.SendAsync(Sqs, queue, ["first page", "raise-extract", "raise-construct", "second page"]);
        var dataset = Dataset(queue, language, project);
        dataset["computeEngine"] = new JsonObject
        {
            ["computeEngineType"] = "LAMBDA_AND_SAGEMAKER",
            ["lambda"] = new JsonObject { ["lambdaConcurrency"] = 1 },
            ["endpoint"] = new JsonObject { ["sagemakerEndpointName"] = "bridge-embeddings", ["sagemakerBatchSize"] = 3 },
        };

        var result = Run(dataset);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        var vectors = Lines("documents");
        Assert.That(vectors.Select(d => (string)d["documentId"]!), Is.EquivalentTo(new[] { "first page", "second page" }), result.ToString());
        Assert.That(vectors.Select(d => (string)d["recordType"]!), Is.All.EqualTo("VECTOR"));
        Assert.That(vectors.Select(d => d["TextVector"]!.AsArray().Count), Is.All.EqualTo(64), "the local model server's 64 dimensions");
        Assert.That(vectors.Select(d => (string)d["source"]!["messageBody"]!), Is.EquivalentTo(new[] { "first page", "second page" }),
            "the document went to the vectorizer as it would be written");
        var errors = Lines("errors").Select(e => (string)e["errorMessage"]!).ToList();
        Assert.That(errors, Has.Count.EqualTo(2), result.ToString());
        Assert.That(errors, Has.One.StartsWith("SagemakerVectorsInterface.extractDocumentElementsForVectorization raised").And.Contain("cannot extract from raise-extract"));
        Assert.That(errors, Has.One.StartsWith("SagemakerVectorsInterface.constructVectorDoc raised").And.Contain("cannot construct raise-construct"));
        Assert.That(await SqsQueues.CountAsync(Sqs, queue), Is.Zero);
    }

    private ProcessResult Run(JsonObject dataset)
    {
        var file = Path.Combine(Work, "dataset.json");
        File.WriteAllText(file, dataset.ToJsonString());
        return PublishedWorker.Run(Work, new Dictionary<string, string>(), "run", "--dataset", file, "--plugins", Work,
            "--state", Path.Combine(Work, "state"));
    }

    private static JsonObject Dataset(string queue, string language, string project) => new()
    {
        ["datasetName"] = "BridgedQueue",
        ["readConnector"] = new JsonObject
        {
            ["connectorDestination"] = "SQS", ["queueName"] = queue, ["readerType"] = "SQS Queue Reader",
            ["artifactImplementationLanguage"] = language, ["artifactFile"] = Path.Combine(Repo.Root, "tests", "TestPlugins", "Bridge", project),
        },
        ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "documents" },
        ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "errors" },
        ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 2 },
        ["manifestFile"] = new JsonObject { ["sqsReaderTaskStopCondition"] = "DrainQueues", ["sqsReaderTaskStopAfterConsecutiveEmptyReceives"] = 2 },
    };

    private List<JsonNode> Lines(string folder) => Directory.EnumerateFiles(Path.Combine(Work, folder), "*.jsonl")
        .SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).ToList();
}

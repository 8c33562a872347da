using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.Sqs;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.Chains;

/// <summary>
/// Files → SQS → files through the published worker (<c>letsdata run</c>, confined data-task processes) against the
/// SQS emulator: the sample WET parser writes each page to a queue, the sample <c>JsonRecordReader</c> reads the queue
/// back with two tasks into local files. Every document arrives as the first stage wrote it, and the queue is empty.
/// </summary>
public class SqsChainTests() : PublishedWorkerSqsTests("letsdata-sqs-chain-")
{
    private const int Pages = 300;
    private const string WetFile = "input/pages.warc.wet.gz";
    private const string WetParser = "LetsData.Plugins.Samples.WetText.WetTextParser";
    private const string JsonReader = "LetsData.Plugins.Samples.Json.JsonRecordReader";
    private static readonly string SamplesDll = $"{Repo.SamplesPluginName}/{Repo.SamplesPluginName}.dll";

    [SetUp]
    public void WriteTheInput()
    {
        Directory.CreateDirectory(Path.Combine(Work, "input"));
        File.WriteAllBytes(Path.Combine(Work, WetFile), SyntheticWet.Gzip(Pages));
    }

    [TestCase(false)]
    [TestCase(true)]
    public async Task FilesToAQueueAndBackKeepEveryDocumentAndEmptyTheQueue(bool fifo)
    {
        var queue = await SqsQueues.CreateAsync(Sqs, fifo);
        var local = Run(Dataset("Local", FileRead(), LocalWrite("local-docs"), WetManifest()));
        Assert.That(local.ExitCode, Is.Zero, local.ToString());
        var expected = File.ReadAllLines(Path.Combine(Work, "local-docs", "task-0001.pages.warc.wet.jsonl"));
        Assert.That(expected, Has.Length.EqualTo(Pages));

        // 1. Files → SQS, the document id in the "docId" attribute.
        var toQueue = Run(Dataset("ToQueue", FileRead(),
            new JsonObject { ["connectorDestination"] = "SQS", ["queueName"] = queue, ["messageIdAttributeName"] = "docId" }, WetManifest()));
        Assert.That(toQueue.ExitCode, Is.Zero, toQueue.ToString());
        Assert.That(await SqsQueues.CountAsync(Sqs, queue), Is.EqualTo(Pages));

        // 2. SQS → files, two tasks sharing the queue, LetsData's DrainQueues with 2 empty receives.
        var queueRead = new JsonObject
        {
            ["connectorDestination"] = "SQS", ["queueName"] = queue, ["artifactFile"] = SamplesDll,
            ["readerType"] = "SQS Queue Reader", ["queueMessageReaderClassName"] = JsonReader,
        };
        var fromQueue = Run(Dataset("FromQueue", queueRead, LocalWrite("from-queue"),
            new JsonObject { ["sqsReaderTaskStopCondition"] = "DrainQueues", ["sqsReaderTaskStopAfterConsecutiveEmptyReceives"] = 2 }));
        Assert.That(fromQueue.ExitCode, Is.Zero, fromQueue.ToString());
        Assert.That(fromQueue.Stdout, Does.Contain("Dataset FromQueue: 2 task(s) completed, 0 errored"), fromQueue.ToString());

        var arrived = Directory.EnumerateFiles(Path.Combine(Work, "from-queue"), "*.jsonl")
            .SelectMany(File.ReadAllLines).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).ToList();
        var expectedById = expected.Select(l => JsonNode.Parse(l)!).ToDictionary(d => (string)d["documentId"]!);
        Assert.That(arrived.Select(d => (string)d["documentId"]!), Is.EquivalentTo(expectedById.Keys), "every document once");
        foreach (var document in arrived)
        {
            var id = (string)document["documentId"]!;
            Assert.That(JsonNode.DeepEquals(document, expectedById[id]), Is.True, $"{id}: {document.ToJsonString()}");
        }

        Assert.That(await SqsQueues.CountAsync(Sqs, queue), Is.Zero, "every message deleted");
    }

    [Test]
    public async Task ValidateReadsAFewMessagesAndLeavesEveryOneInTheQueue()
    {
        var queue = await SqsQueues.CreateAsync(Sqs);
        await SqsQueues.SendAsync(Sqs, queue, Enumerable.Range(0, 5).Select(i => $$"""{"documentId":"d{{i}}"}"""));
        var dataset = Dataset("CheckQueue", new JsonObject
        {
            ["connectorDestination"] = "SQS", ["queueName"] = queue, ["artifactFile"] = SamplesDll,
            ["readerType"] = "SQS Queue Reader", ["queueMessageReaderClassName"] = JsonReader,
        }, LocalWrite("docs"), null);
        var file = Path.Combine(Work, "CheckQueue.json");
        File.WriteAllText(file, dataset.ToJsonString());

        var result = PublishedWorker.Run(Work, new Dictionary<string, string>(), "validate", "--dataset", file, "--plugins", Repo.PluginsDirectory);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("smoke run"), result.ToString());
        // Nothing deleted, nothing left hidden: the smoke run made what it read visible again.
        Assert.That((await SqsQueues.DrainAsync(Sqs, queue)).Select(m => m.Body), Is.EquivalentTo(Enumerable.Range(0, 5).Select(i => $$"""{"documentId":"d{{i}}"}""")));
    }

    private static JsonObject Dataset(string name, JsonObject read, JsonObject write, JsonObject? manifest)
    {
        var dataset = new JsonObject
        {
            ["datasetName"] = name,
            ["readConnector"] = read,
            ["writeConnector"] = write,
            ["errorConnector"] = LocalWrite($"errors-{name}"),
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 2 },
        };
        if (manifest is not null)
        {
            dataset["manifestFile"] = manifest;
        }

        return dataset;
    }

    private static JsonObject FileRead() => new()
    {
        ["connectorDestination"] = "LocalFiles", ["rootPath"] = ".", ["artifactFile"] = SamplesDll,
        ["readerType"] = "Single File Reader", ["singleFileParserImplementationClassName"] = WetParser,
    };

    private static JsonObject LocalWrite(string folder) => new() { ["connectorDestination"] = "LocalFiles", ["outputPath"] = folder };

    private static JsonObject WetManifest() => new() { ["manifestType"] = "S3ReaderTextManifestFile", ["fileContents"] = WetFile };

    private ProcessResult Run(JsonObject dataset)
    {
        var file = Path.Combine(Work, $"{dataset["datasetName"]}.json");
        File.WriteAllText(file, dataset.ToJsonString());
        return PublishedWorker.Run(Work, new Dictionary<string, string>(), "run", "--dataset", file, "--plugins", Repo.PluginsDirectory,
            "--state", Path.Combine(Work, $"state-{dataset["datasetName"]}"));
    }
}

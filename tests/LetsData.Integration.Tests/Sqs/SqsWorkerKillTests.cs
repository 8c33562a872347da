using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.Integration.Tests.Sqs;

/// <summary>
/// The published worker reading a queue is killed with SIGKILL (its data-task processes too) while it holds messages,
/// then run again: every message's document is in the output and the queue is empty. A message deleted before the
/// checkpoint that made its document durable would be lost here — the rerun cuts each output back to its checkpoint
/// and the message would not come back — while the messages held but not deleted reappear after their visibility
/// timeout and are read again (at least once).
/// </summary>
public class SqsWorkerKillTests() : PublishedWorkerSqsTests("letsdata-sqs-kill-")
{
    private const int Messages = 3000;
    private const string JsonReader = "LetsData.Plugins.Samples.Json.JsonRecordReader";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Test]
    public async Task AWorkerKilledHoldingMessagesLosesNoneAndTheRerunEmptiesTheQueue()
    {
        // A short visibility timeout: what the killed worker held comes back within the rerun's empty receives.
        var queue = await SqsQueues.CreateAsync(Sqs, visibilityTimeoutSeconds: 2);
        await SqsQueues.SendAsync(Sqs, queue, Enumerable.Range(0, Messages).Select(i => $$"""{"documentId":"doc-{{i:D5}}","n":{{i}}}"""));
        var dataset = WriteDataset(queue);
        var left = Messages;

        DateTimeOffset? killed = null;
        var first = Run(dataset, worker => killed = KillSwitch.KillWhen(worker, () =>
        {
            // Some messages deleted (checkpoints were stored), most still to go: the worker is mid-run, holding some.
            left = SqsQueues.CountAsync(Sqs, queue).GetAwaiter().GetResult();
            return left < Messages - 200;
        }, TimeSpan.Zero, RunTimeout));

        Assert.That(killed, Is.Not.Null, $"the kill landed while the worker ran: {first}");
        Assert.That(left, Is.GreaterThan(0), "messages were left when the worker was killed");
        var second = Run(dataset, whileRunning: null);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        var ids = Directory.EnumerateFiles(Path.Combine(Work, "docs"), "*.jsonl").SelectMany(File.ReadAllLines).Where(l => l.Length > 0)
            .Select(l => (string)JsonNode.Parse(l)!["documentId"]!).ToList();
        Assert.That(ids.Distinct(), Is.EquivalentTo(Enumerable.Range(0, Messages).Select(i => $"doc-{i:D5}")), "every message's document");
        Assert.That(await SqsQueues.CountAsync(Sqs, queue), Is.Zero, "every message deleted");
        TestContext.Progress.WriteLine($"sqs kill test: {left} messages left at the kill; {ids.Count - Messages} documents written twice (at least once)");
    }

    private string WriteDataset(string queue)
    {
        var dataset = new JsonObject
        {
            ["datasetName"] = "QueueKill",
            ["readConnector"] = new JsonObject
            {
                ["connectorDestination"] = "SQS", ["queueName"] = queue, ["artifactFile"] = $"{Repo.SamplesPluginName}/{Repo.SamplesPluginName}.dll",
                ["readerType"] = "SQS Queue Reader", ["queueMessageReaderClassName"] = JsonReader,
            },
            ["writeConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "docs" },
            ["errorConnector"] = new JsonObject { ["connectorDestination"] = "LocalFiles", ["outputPath"] = "errors" },
            ["computeEngine"] = new JsonObject { ["computeEngineType"] = "Local", ["concurrency"] = 2 },
            ["manifestFile"] = new JsonObject { ["sqsReaderTaskStopAfterConsecutiveEmptyReceives"] = 4 },
        };
        var file = Path.Combine(Work, "dataset.json");
        File.WriteAllText(file, dataset.ToJsonString());
        return file;
    }

    private ProcessResult Run(string dataset, Action<System.Diagnostics.Process>? whileRunning) =>
        ChildProcess.Run(Repo.WorkerExe,
            ["run", "--dataset", dataset, "--plugins", Repo.PluginsDirectory, "--state", Path.Combine(Work, "state"), "--checkpoint-records", "50"],
            Work, RunTimeout, whileRunning: whileRunning);
}

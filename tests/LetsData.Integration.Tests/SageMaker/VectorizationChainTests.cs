using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.SageMaker;

/// <summary>
/// The Common Crawl sample through the published worker, vectorized by the sample <c>CommonCrawlVectorizer</c>
/// against the local model server (<c>scripts/emulators/sagemaker-local.js</c>, reached by
/// <c>AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME</c> from the confined data-task processes). The input is generated Common
/// Crawl trios (the bundled whirlwind trio yields no index record: its WAT is cut down). Each vector is checked
/// against the model's embedding computed here, independently of the server's code.
/// </summary>
[Platform(Exclude = "Win", Reason = "SIGKILL and its exit code")]
public sealed class VectorizationChainTests : WorkerTest
{
    private const int Dimension = 64;
    private const string Vectorizer = "LetsData.Plugins.Samples.CommonCrawl.CommonCrawlVectorizer";
    private const string StartedOver = "started over from its beginning";

    [OneTimeSetUp]
    public void Publish() => PublishedWorker.EnsurePublished();

    [Test]
    public void EveryIndexRecordBecomesAVectorRecordWithTheModelsVectors()
    {
        Assert.That(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME"), Is.Not.Null.And.Not.Empty,
            "the emulators' env has no model server");
        var input = CrawlTrios.Write(Work.InputPath, count: 2, urls: 60, seed: 13);
        var plain = CommonCrawlRun.Create(Work, "plain", input);
        var vectors = Vectorized(CommonCrawlRun.Create(Work, "vectors", input));

        var plainRun = plain.Run();
        var vectorRun = vectors.Run();

        Assert.That(plainRun.ExitCode, Is.Zero, plainRun.ToString());
        Assert.That(vectorRun.ExitCode, Is.Zero, vectorRun.ToString());
        var records = JsonLines(plain.Documents).ToDictionary(r => (string)r["documentId"]!);
        var vectorDocs = JsonLines(vectors.Documents);
        Assert.That(records, Has.Count.EqualTo(input.Trios.Sum(CrawlTrios.Documents)));
        Assert.That(vectorDocs.Select(v => (string)v["documentId"]!), Is.EquivalentTo(records.Keys));
        Assert.That(JsonLines(plain.Errors), Has.Count.EqualTo(input.Trios.Sum(CrawlTrios.Errors)));
        Assert.That(JsonLines(vectors.Errors), Has.Count.EqualTo(JsonLines(plain.Errors).Count));
        var described = 0;
        foreach (var vector in vectorDocs)
        {
            var record = records[(string)vector["documentId"]!];
            Assert.That((string?)vector["recordType"], Is.EqualTo("VECTOR"));
            Assert.That((string?)vector["url"], Is.EqualTo((string?)record["url"]));
            AssertVector(vector["docTextVectors"], (string?)record["docText"]);
            described += AssertVector(vector["docDescriptionVectors"], (string?)record["description"]) ? 1 : 0;
        }

        Assert.That(described, Is.GreaterThan(0), "no record had a description: half of the vectorizer went untested");
    }

    [Test]
    public void AnEndpointThatFailsEveryCallGivesAnErrorRecordPerDocumentAndTheTasksComplete()
    {
        var input = CrawlTrios.Write(Work.InputPath, count: 1, urls: 30, seed: 17);
        var failing = Vectorized(CommonCrawlRun.Create(Work, "failing", input), endpointName: "error-by-design");

        var run = failing.Run();

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(JsonLines(failing.Documents), Is.Empty);
        var modelErrors = JsonLines(failing.Errors).Where(e => ((string?)e["errorMessage"] ?? "").Contains("ModelError", StringComparison.Ordinal)).ToList();
        Assert.That(modelErrors, Has.Count.EqualTo(CrawlTrios.Documents(input.Trios[0])));
        Assert.That(modelErrors.Select(e => (string?)e["documentId"]), Has.All.StartWith("http"));
        Assert.That(failing.TasksList().Select(t => (string?)t["status"]), Has.All.EqualTo("COMPLETED"));
    }

    [Test]
    public void KilledMidTaskAndResumed_TheVectorOutputIsThatOfAnUndisturbedRun()
    {
        var input = CrawlTrios.Write(Work.InputPath, count: 2, urls: 400, seed: 23);
        var reference = Vectorized(CommonCrawlRun.Create(Work, "reference", input));
        var crashed = Vectorized(CommonCrawlRun.Create(Work, "crashed", input));
        var undisturbed = reference.Run("--no-checkpoints");
        Assert.That(undisturbed.ExitCode, Is.Zero, undisturbed.ToString());

        // Killed once a task has a checkpoint: the batch size (7) and the checkpoint cadence (10 records) differ, so
        // checkpoints fall while documents wait for their vectors.
        var killed = false;
        var run = crashed.Run(worker => killed = KillSwitch.KillWhen(worker, () => HasCheckpoint(crashed.StateFolder), TimeSpan.Zero,
            TimeSpan.FromSeconds(60)) is not null, "--checkpoint-records", "10", "--concurrency", "1");
        Assert.That(killed, Is.True, $"the run ended before a checkpoint was seen: {run}");
        var final = crashed.Run("--checkpoint-records", "10");

        Assert.That(final.ExitCode, Is.Zero, final.ToString());
        Assert.That(final.Stdout + final.Stderr, Does.Not.Contain(StartedOver), final.ToString());
        crashed.AssertSameOutcome(reference);
    }

    [Test]
    public void ValidateResolvesTheVectorizerClass()
    {
        var good = Vectorized(CommonCrawlRun.Create(Work, "good", null));
        var bad = Vectorized(CommonCrawlRun.Create(Work, "bad", null), vectorizer: "LetsData.Plugins.Samples.CommonCrawl.NoSuchVectorizer");

        var accepted = Work.Validate(good.DatasetFile);
        var refused = Work.Validate(bad.DatasetFile);

        Assert.That(accepted.ExitCode, Is.Zero, accepted.ToString());
        Assert.That(refused.ExitCode, Is.Not.Zero, refused.ToString());
        Assert.That(refused.Stdout + refused.Stderr, Does.Contain("readConnector.sagemakerVectorsInterfaceClassName: "), refused.ToString());
    }

    private static bool HasCheckpoint(string state)
    {
        var tasks = Path.Combine(state, "tasks");
        try
        {
            return Directory.Exists(tasks) && Directory.EnumerateFiles(tasks, "*.json")
                .Any(f => JsonNode.Parse(File.ReadAllText(f)) is { } task && (string?)task["status"] == "PROCESSING" && task["checkpoint"] is not null);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return false; // a state file being replaced
        }
    }

    /// <summary>The run's dataset made a LAMBDA_AND_SAGEMAKER one, in LetsData's shape plus the endpoint name and the vectorizer class.</summary>
    private static CommonCrawlRun Vectorized(CommonCrawlRun run, string endpointName = "commoncrawl-embeddings", string vectorizer = Vectorizer)
    {
        var dataset = JsonNode.Parse(File.ReadAllText(run.DatasetFile))!.AsObject();
        dataset["readConnector"]!["sagemakerVectorsInterfaceClassName"] = vectorizer;
        dataset["computeEngine"] = JsonNode.Parse($$"""
            {
              "computeEngineType": "LAMBDA_AND_SAGEMAKER",
              "lambda": { "lambdaConcurrency": 2 },
              "endpoint": { "sagemakerEndpointType": "Serverless", "sagemakerEndpointResourceLocation": "Customer",
                "sagemakerEndpointName": "{{endpointName}}", "sagemakerBatchSize": 7 }
            }
            """);
        File.WriteAllText(run.DatasetFile, dataset.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return run;
    }

    private static List<JsonNode> JsonLines(string folder) =>
        !Directory.Exists(folder) ? []
            : Directory.EnumerateFiles(folder, "*.jsonl").Order(StringComparer.Ordinal).SelectMany(File.ReadAllLines)
                .Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!).ToList();

    /// <summary>Asserts the vector of <paramref name="text"/>; true when there was a text to vectorize.</summary>
    private static bool AssertVector(JsonNode? vector, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            Assert.That(vector, Is.Null);
            return false;
        }

        var values = vector!.AsArray().Select(v => (double)v!).ToArray();
        Assert.That(values, Has.Length.EqualTo(Dimension));
        Assert.That(values, Is.EqualTo(FeatureHash(text)), $"vector of \"{text[..Math.Min(40, text.Length)]}…\"");
        return true;
    }

    /// <summary>
    /// The model server's embedding written again from its description: tokens are runs of ASCII letters and digits
    /// and non-ASCII bytes, FNV-1a of each (A-Z lowered) adds ±1 (bit 16) at hash mod 64, then L2 normalization.
    /// </summary>
    private static double[] FeatureHash(string text)
    {
        var vector = new double[Dimension];
        var hash = 0x811c9dc5u;
        var inToken = false;
        foreach (var b in Encoding.UTF8.GetBytes(text + " "))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b >= 0x80)
            {
                hash = (hash ^ (uint)(b is >= (byte)'A' and <= (byte)'Z' ? b + 0x20 : b)) * 0x01000193u;
                inToken = true;
            }
            else if (inToken)
            {
                vector[hash % Dimension] += ((hash >> 16) & 1) == 1 ? -1 : 1;
                (hash, inToken) = (0x811c9dc5u, false);
            }
        }

        var norm = Math.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => v / norm).ToArray();
    }
}

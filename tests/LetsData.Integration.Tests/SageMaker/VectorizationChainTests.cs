using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.SageMaker;

/// <summary>
/// The Common Crawl sample over the bundled files through the published worker, vectorized by the sample
/// <c>CommonCrawlVectorizer</c> against the local model server (<c>scripts/emulators/sagemaker-local.js</c>, found by
/// <c>AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME</c> in the confined data-task processes): one vector document per index
/// record, each vector the one this test computes itself from the record's text.
/// </summary>
public class VectorizationChainTests
{
    private const int Dimension = 64;
    private string _directory = "";

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("letsdata-vectors-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void EveryIndexRecordBecomesAVectorRecordWithTheModelsVectors()
    {
        Assert.That(Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME"), Is.Not.Null.And.Not.Empty,
            "the emulators' env has no model server");
        var plain = Run(Dataset("Plain", vectorize: false));
        var vectors = Run(Dataset("Vectors", vectorize: true));

        Assert.That(plain.ExitCode, Is.EqualTo(0), Output(plain));
        Assert.That(vectors.ExitCode, Is.EqualTo(0), Output(vectors));
        var records = Lines("Plain", "documents").Select(l => JsonNode.Parse(l)!).ToDictionary(r => (string)r["documentId"]!);
        var vectorDocs = Lines("Vectors", "documents").Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(records, Has.Count.GreaterThan(5));
        Assert.That(vectorDocs.Select(v => (string)v["documentId"]!), Is.EquivalentTo(records.Keys));
        Assert.That(Lines("Vectors", "errors"), Has.Count.EqualTo(Lines("Plain", "errors").Count));
        foreach (var vector in vectorDocs)
        {
            var record = records[(string)vector["documentId"]!];
            Assert.That((string?)vector["recordType"], Is.EqualTo("VECTOR"));
            Assert.That((string?)vector["url"], Is.EqualTo((string?)record["url"]));
            AssertVector(vector["docTextVectors"], (string?)record["docText"]);
            AssertVector(vector["docDescriptionVectors"], (string?)record["description"]);
        }
    }

    [Test]
    public void AnEndpointThatFailsEveryCallGivesAnErrorRecordPerDocumentAndTheTaskCompletes()
    {
        var run = Run(Dataset("Failing", vectorize: true, endpointName: "error-by-design"));

        // The endpoint's failures are the documents' error records: the task itself completes.
        Assert.That(run.ExitCode, Is.EqualTo(0), Output(run));
        var errors = Lines("Failing", "errors").Select(l => JsonNode.Parse(l)!).ToList();
        Assert.That(Lines("Failing", "documents"), Is.Empty);
        Assert.That(errors.Count(e => ((string?)e["errorMessage"] ?? "").Contains("ModelError")), Is.GreaterThan(5), Output(run));
    }

    private static string Output(ProcessResult run) => $"{run.Stdout}\n{run.Stderr}";

    private static void AssertVector(JsonNode? vector, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            Assert.That(vector, Is.Null);
            return;
        }

        var values = vector!.AsArray().Select(v => (double)v!).ToArray();
        Assert.That(values, Has.Length.EqualTo(Dimension));
        Assert.That(values, Is.EqualTo(FeatureHash(text)), $"vector of \"{text[..Math.Min(40, text.Length)]}…\"");
    }

    /// <summary>The model server's embedding, written again from its description: FNV-1a of byte tokens, signed, L2-normalized.</summary>
    private static double[] FeatureHash(string text)
    {
        var vector = new double[Dimension];
        var bytes = Encoding.UTF8.GetBytes(text);
        var hash = 0x811c9dc5u;
        var inToken = false;
        for (var i = 0; i <= bytes.Length; i++)
        {
            var b = i < bytes.Length ? bytes[i] : (byte)' ';
            if (char.IsAsciiLetterOrDigit((char)b) || b >= 0x80)
            {
                hash = ((hash ^ (uint)(b is >= (byte)'A' and <= (byte)'Z' ? b + 0x20 : b)) * 0x01000193u);
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

    private List<string> Lines(string dataset, string kind)
    {
        var folder = Path.Combine(_directory, "out", dataset, kind);
        return !Directory.Exists(folder) ? []
            : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .SelectMany(File.ReadAllLines).Where(l => l.Length > 0).ToList();
    }

    private JsonObject Dataset(string name, bool vectorize, string endpointName = "commoncrawl-embeddings")
    {
        var dataset = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.DatasetsDirectory, "commoncrawl.json")))!.AsObject();
        dataset["datasetName"] = name;
        dataset["readConnector"]!["rootPath"] = Repo.CommonCrawlDirectory;
        dataset["writeConnector"]!["outputPath"] = Path.Combine(_directory, "out", name, "documents");
        dataset["errorConnector"]!["outputPath"] = Path.Combine(_directory, "out", name, "errors");
        if (vectorize)
        {
            dataset["readConnector"]!["sagemakerVectorsInterfaceClassName"] = "LetsData.Plugins.Samples.CommonCrawl.CommonCrawlVectorizer";
            dataset["computeEngine"] = JsonNode.Parse("""
                {
                  "computeEngineType": "LAMBDA_AND_SAGEMAKER",
                  "lambda": { "lambdaConcurrency": 2 },
                  "endpoint": { "sagemakerEndpointType": "Serverless", "sagemakerEndpointResourceLocation": "Customer",
                    "sagemakerEndpointName": "ENDPOINT", "sagemakerBatchSize": 7 }
                }
                """.Replace("ENDPOINT", endpointName));
        }

        return dataset;
    }

    private ProcessResult Run(JsonObject dataset)
    {
        var file = Path.Combine(_directory, $"{dataset["datasetName"]}.json");
        File.WriteAllText(file, dataset.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return PublishedWorker.Run(_directory, new Dictionary<string, string>(), "run", "--dataset", file, "--plugins", Repo.PluginsDirectory,
            "--state", Path.Combine(_directory, "state"));
    }
}

using System.Text;
using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary><c>letsdata run</c> over the sample datasets and the real Common Crawl files, checked against the tests' own reading of those files.</summary>
public sealed class RunTests : WorkerTest
{
    [Test]
    public void TargetUris_WritesOneDocumentPerRequestRecord()
    {
        var expected = ExpectedTargetUriDocuments();
        var dataset = Work.WriteDataset(Work.SampleDataset("target-uris.json"));

        var result = Work.Run(dataset);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("1 task(s) completed, 0 errored"), result.ToString());
        Assert.That(Files(Work.DocumentsPath), Is.EqualTo(new[] { "task-0001.whirlwind.warc.jsonl" }), result.ToString());
        Assert.That(Files(Work.ErrorsPath), Is.Empty, "no error records expected");
        AssertSameDocuments(Path.Combine(Work.DocumentsPath, "task-0001.whirlwind.warc.jsonl"), expected);
    }

    [Test]
    public void WetText_WritesOneDocumentPerConversionRecord()
    {
        var conversions = WarcRecords.ReadAll(Repo.WetFile).Where(r => r.Type == "conversion").ToList();
        Assert.That(conversions, Is.Not.Empty, "the sample WET file has conversion records");
        var expected = conversions.Select(r => (
            Url: WarcRecords.Uri(r.Field("WARC-Target-URI")!),
            Text: Encoding.UTF8.GetString(r.Block),
            Language: r.Field("WARC-Identified-Content-Language"))).ToList();
        var dataset = Work.WriteDataset(Work.SampleDataset("wet-text.json"));

        var result = Work.Run(dataset);

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("1 task(s) completed, 0 errored"), result.ToString());
        Assert.That(Files(Work.DocumentsPath), Is.EqualTo(new[] { "task-0001.whirlwind.warc.wet.jsonl" }), result.ToString());
        Assert.That(Files(Work.ErrorsPath), Is.Empty, "no error records expected");
        var documents = Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0001.whirlwind.warc.wet.jsonl"));
        var actual = documents.Select(d => (
            Url: (string?)d["url"],
            Text: (string?)d["text"],
            Language: (string?)d["language"])).ToList();
        Assert.That(actual, Is.EquivalentTo(expected));
        Assert.Multiple(() =>
        {
            foreach (var document in documents)
            {
                Assert.That((string?)document["documentId"], Is.EqualTo((string?)document["url"]), "documentId is the URL");
                Assert.That((string?)document["recordType"], Is.EqualTo("WetText"));
                Assert.That((long?)document["contentLength"], Is.EqualTo(Encoding.UTF8.GetByteCount((string?)document["text"] ?? "")),
                    "contentLength is the byte length of the text");
            }
        });
    }

    [Test]
    public void TargetUris_AsShipped_RunsFromTheRepositoryRoot()
    {
        // The repository layout in miniature, used the way the README runs a sample: relative paths, default --plugins.
        var expected = ExpectedTargetUriDocuments();
        var datasets = CopySampleLayout(Work.Directory, pluginsUnder: Work.Directory);

        var result = Work.Worker("run", "--dataset", Path.Combine("datasets", "target-uris.json"));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stderr, Does.Contain($"paths resolve against {datasets}; plugins from {Path.Combine(Work.Directory, "plugins")} (./plugins)"),
            result.ToString());
        var documents = Path.Combine(Work.Directory, "out", "target-uris", "documents");
        Assert.That(result.Stdout, Does.Contain($"documents: {documents}"), result.ToString());
        AssertSameDocuments(Path.Combine(documents, "task-0001.whirlwind.warc.jsonl"), expected);
    }

    [Test]
    public void TargetUris_FromAnotherFolder_PathsAndPluginsResolveAgainstTheDatasetFilesFolder()
    {
        // The new user's case: validate and run started elsewhere, no ./plugins there, the plugin next to the dataset.
        var expected = ExpectedTargetUriDocuments();
        var project = Directory.CreateDirectory(Path.Combine(Work.Directory, "project")).FullName;
        var datasets = CopySampleLayout(project, pluginsUnder: Path.Combine(project, "datasets"));
        var elsewhere = Directory.CreateDirectory(Path.Combine(Work.Directory, "elsewhere")).FullName;
        var datasetFile = Path.Combine("..", "project", "datasets", "target-uris.json");

        var validated = ChildProcess.Run(Repo.WorkerExe, ["validate", "--dataset", datasetFile], elsewhere);
        var ran = ChildProcess.Run(Repo.WorkerExe, ["run", "--dataset", datasetFile], elsewhere);

        Assert.That(validated.ExitCode, Is.Zero, validated.ToString());
        Assert.That(validated.Stdout, Does.Contain(
            $"paths resolve against {datasets}; plugins from {Path.Combine(datasets, "plugins")} (the dataset file's folder; there is no ./plugins here)"),
            validated.ToString());
        Assert.That(ran.ExitCode, Is.Zero, ran.ToString());
        AssertSameDocuments(Path.Combine(project, "out", "target-uris", "documents", "task-0001.whirlwind.warc.jsonl"), expected);
        Assert.That(Directory.EnumerateFileSystemEntries(elsewhere).Select(Path.GetFileName), Is.EqualTo(new[] { ".letsdata" }),
            "only the task state goes to the current folder");
    }

    /// <summary>datasets/target-uris.json as shipped, its WARC under datasets/commoncrawl/, the sample plugin under <paramref name="pluginsUnder"/>/plugins.</summary>
    private static string CopySampleLayout(string root, string pluginsUnder)
    {
        var datasets = Directory.CreateDirectory(Path.Combine(root, "datasets", "commoncrawl")).Parent!.FullName;
        File.Copy(Path.Combine(Repo.DatasetsDirectory, "target-uris.json"), Path.Combine(datasets, "target-uris.json"));
        File.Copy(Repo.WarcFile, Path.Combine(datasets, "commoncrawl", Path.GetFileName(Repo.WarcFile)));
        var pluginSource = Path.GetDirectoryName(Repo.SamplesPluginDll)!;
        var pluginCopy = Directory.CreateDirectory(Path.Combine(pluginsUnder, "plugins", Repo.SamplesPluginName)).FullName;
        foreach (var file in Directory.EnumerateFiles(pluginSource))
        {
            File.Copy(file, Path.Combine(pluginCopy, Path.GetFileName(file)));
        }

        return datasets;
    }

    [Test]
    public void AFirstFileThePluginCannotRead_StopsTheRunBeforeAnyTaskUnlessValidationIsSkipped()
    {
        // The smoke run of the initialization test reads the first task's first records: a truncated first file fails it.
        var bytes = File.ReadAllBytes(Repo.WarcFile);
        File.WriteAllBytes(Path.Combine(Work.InputPath, "bad-first.warc.gz"), bytes[..(bytes.Length / 2)]);
        var good = Work.CopyInput(Repo.WarcFile, "good.warc.gz");
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["manifestFile"]!["fileContents"] = $"bad-first.warc.gz\n{good}";
        var file = Work.WriteDataset(dataset);

        var refused = Work.Run(file);

        Assert.That(refused.ExitCode, Is.EqualTo(2), refused.ToString());
        Assert.That(refused.Stderr, Does.Contain("smoke run: task-0001 (bad-first.warc.gz) errored").And.Contain("the run did not start"), refused.ToString());
        Assert.That(Directory.Exists(Work.DocumentsPath) ? Files(Work.DocumentsPath) : [], Is.Empty, "no task ran");

        var skipped = Work.Run(file, "--skip-validation");

        Assert.That(skipped.ExitCode, Is.EqualTo(1), skipped.ToString());
        Assert.That(skipped.Stdout, Does.Contain("1 task(s) completed, 1 errored"), skipped.ToString());
    }

    [TestCase(BadInput.Missing)]
    [TestCase(BadInput.Truncated)]
    public void OneBadFileAmongThree_ErrorsThatTaskOnly(BadInput kind)
    {
        var expected = ExpectedTargetUriDocuments();
        var first = Work.CopyInput(Repo.WarcFile, "good-1.warc.gz");
        const string bad = "bad.warc.gz";
        if (kind == BadInput.Truncated)
        {
            // Cut in the middle of a gzip member: the decompressor must notice, not yield a quietly shorter file.
            var bytes = File.ReadAllBytes(Repo.WarcFile);
            File.WriteAllBytes(Path.Combine(Work.InputPath, bad), bytes[..(bytes.Length / 2)]);
        }

        var third = Work.CopyInput(Repo.WarcFile, "good-3.warc.gz");
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["manifestFile"]!["fileContents"] = $"{first}\n{bad}\n{third}";

        var result = Work.Run(Work.WriteDataset(dataset));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Stdout, Does.Contain("2 task(s) completed, 1 errored"), result.ToString());
        var erroredLine = result.StdoutLines.SingleOrDefault(l => l.TrimStart().StartsWith("ERRORED", StringComparison.Ordinal));
        Assert.That(erroredLine, Does.StartWith("  ERRORED task-0002:").And.Contain(bad), result.ToString());

        // The good tasks, before and after the bad one, completed with all their documents.
        Assert.That(Files(Work.DocumentsPath), Is.SupersetOf(new[] { "task-0001.good-1.warc.jsonl", "task-0003.good-3.warc.jsonl" }), result.ToString());
        Assert.That(Files(Work.DocumentsPath), Does.Not.Contain("task-0002.bad.warc.jsonl"), "the errored task has no completed output");
        AssertSameDocuments(Path.Combine(Work.DocumentsPath, "task-0001.good-1.warc.jsonl"), expected);
        AssertSameDocuments(Path.Combine(Work.DocumentsPath, "task-0003.good-3.warc.jsonl"), expected);

        // The error destination holds the task error, in the errored task's file only.
        Assert.That(Files(Work.ErrorsPath), Is.EqualTo(new[] { "task-0002.bad.warc.errored.jsonl" }), result.ToString());
        var records = Workspace.ReadJsonLines(Path.Combine(Work.ErrorsPath, "task-0002.bad.warc.errored.jsonl"));
        var taskError = records.SingleOrDefault(r => (string?)r["kind"] == "TaskError");
        Assert.That(taskError, Is.Not.Null, $"a TaskError record in {string.Join(Environment.NewLine, records)}");
        Assert.Multiple(() =>
        {
            Assert.That((string?)taskError!["taskId"], Is.EqualTo("task-0002"));
            Assert.That((string?)taskError["dataset"], Is.EqualTo("TargetUris"));
            Assert.That(taskError["fileNames"]?.AsObject().Select(p => (string?)p.Value), Is.EqualTo(new[] { bad }));
            Assert.That((string?)taskError["errorMessage"], Does.Contain(bad)
                .And.Contain(kind == BadInput.Missing ? "not found" : "truncated").IgnoreCase, "the message says what is wrong with which file");
        });
    }

    [Test]
    public void Rerun_AfterTheBadFileIsFixed_ReplacesTheErroredOutputs()
    {
        var expected = ExpectedTargetUriDocuments();
        var good = Work.CopyInput(Repo.WarcFile, "good.warc.gz");
        var bytes = File.ReadAllBytes(Repo.WarcFile);
        File.WriteAllBytes(Path.Combine(Work.InputPath, "fixed-later.warc.gz"), bytes[..(bytes.Length * 3 / 4)]);
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["manifestFile"]!["fileContents"] = $"{good}\nfixed-later.warc.gz";
        var datasetFile = Work.WriteDataset(dataset);
        var first = Work.Run(datasetFile);
        Assert.That(first.ExitCode, Is.EqualTo(1), first.ToString());
        Assert.That(Files(Work.ErrorsPath), Is.EqualTo(new[] { "task-0002.fixed-later.warc.errored.jsonl" }), first.ToString());

        File.Copy(Repo.WarcFile, Path.Combine(Work.InputPath, "fixed-later.warc.gz"), overwrite: true);
        var second = Work.Run(datasetFile);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Stdout, Does.Contain("1 task(s) already completed, skipped"), second.ToString());
        Assert.That(second.Stdout, Does.Contain("1 task(s) completed, 0 errored"), "only the errored task runs again: " + second);
        Assert.That(Files(Work.DocumentsPath), Is.EqualTo(new[] { "task-0001.good.warc.jsonl", "task-0002.fixed-later.warc.jsonl" }),
            "no errored or in-progress file is left from the first run");
        Assert.That(Files(Work.ErrorsPath), Is.Empty, "the first run's task error is gone with the task's success");
        AssertSameDocuments(Path.Combine(Work.DocumentsPath, "task-0001.good.warc.jsonl"), expected);
        AssertSameDocuments(Path.Combine(Work.DocumentsPath, "task-0002.fixed-later.warc.jsonl"), expected);
    }

    [Test]
    public void SameFileUnderFourNames_WithConcurrency2_FourIdenticalOutputs()
    {
        var names = Enumerable.Range(1, 4).Select(i => Work.CopyInput(Repo.WetFile, $"copy-{i}.warc.wet.gz")).ToList();
        var dataset = Work.SampleDataset("wet-text.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["computeEngine"]!["concurrency"] = 1; // the command line overrides it
        dataset["manifestFile"]!["fileContents"] = string.Join('\n', names);

        var result = Work.Run(Work.WriteDataset(dataset), "--concurrency", "2");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.Stdout, Does.Contain("4 task(s) completed, 0 errored"), result.ToString());
        Assert.That(result.Stderr, Does.Contain("concurrency 2"), "the --concurrency option is used");
        var expectedFiles = Enumerable.Range(1, 4).Select(i => $"task-{i:D4}.copy-{i}.warc.wet.jsonl").ToArray();
        Assert.That(Files(Work.DocumentsPath), Is.EqualTo(expectedFiles), result.ToString());
        var contents = expectedFiles.Select(f => File.ReadAllBytes(Path.Combine(Work.DocumentsPath, f))).ToList();
        Assert.That(contents[0], Is.Not.Empty);
        Assert.Multiple(() =>
        {
            for (var i = 1; i < contents.Count; i++)
            {
                Assert.That(contents[i], Is.EqualTo(contents[0]), $"{expectedFiles[i]} differs from {expectedFiles[0]}");
            }
        });
        var conversions = WarcRecords.ReadAll(Repo.WetFile).Count(r => r.Type == "conversion");
        Assert.That(Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, expectedFiles[0])), Has.Count.EqualTo(conversions));
    }

    public enum BadInput
    {
        Missing,
        Truncated,
    }

    /// <summary>The TargetUriExtractor documents of the sample WARC file: one per request record, keyed by its target URI.</summary>
    private static List<JsonObject> ExpectedTargetUriDocuments()
    {
        var uris = WarcRecords.ReadAll(Repo.WarcFile)
            .Where(r => r.Type == "request")
            .Select(r => WarcRecords.Uri(r.Field("WARC-Target-URI") ?? throw new InvalidDataException("a request without WARC-Target-URI")))
            .ToList();
        Assert.That(uris, Is.Not.Empty, "the sample WARC file has request records");
        return uris.Select(uri => new JsonObject
        {
            ["targetUri"] = uri,
            ["documentId"] = uri,
            ["recordType"] = "TargetUri",
            ["partitionKey"] = uri,
            ["documentMetadata"] = new JsonObject(),
        }).ToList();
    }

    /// <summary>The file holds exactly the expected JSON objects, one per line, in any order.</summary>
    private static void AssertSameDocuments(string jsonLinesFile, IReadOnlyList<JsonObject> expected)
    {
        Assert.That(jsonLinesFile, Does.Exist);
        var actual = Workspace.ReadJsonLines(jsonLinesFile);
        Assert.That(actual, Is.EquivalentTo(expected).Using<JsonObject>((a, b) => JsonNode.DeepEquals(a, b)),
            $"{jsonLinesFile}:{Environment.NewLine}{File.ReadAllText(jsonLinesFile)}");
    }

    private static string[] Files(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];
}

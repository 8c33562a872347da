using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary><c>letsdata validate</c>: the sample datasets pass; each kind of broken dataset fails with a FAIL line naming the culprit.</summary>
public sealed class ValidateTests : WorkerTest
{
    [TestCase("target-uris.json")]
    [TestCase("wet-text.json")]
    public void SampleDataset_IsValid(string sample)
    {
        var result = Work.Validate(Work.WriteDataset(Work.SampleDataset(sample)));

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        Assert.That(result.StdoutLines, Is.Not.Empty, result.ToString());
        Assert.That(result.StdoutLines[^1], Does.StartWith("valid"), result.ToString());
        Assert.That(result.StdoutLines.Where(l => l.StartsWith("FAIL", StringComparison.Ordinal)), Is.Empty, result.ToString());
        Assert.That(result.StdoutLines, Has.Some.StartsWith("ok   smoke run"), result.ToString());
        // The plugin was checked in a data-task process, and on Linux it was confined (the count is the kernel's to decide).
        Assert.That(result.StdoutLines, Has.Some.Match(OperatingSystem.IsLinux()
            ? @"^ok   checked in a data-task process: [1-9]\d* protection\(s\) applied"
            : "^ok   checked in a data-task process: "), result.ToString());
        Assert.That(Directory.Exists(Path.Combine(Work.Directory, "out")), Is.False, "validate writes no output");
    }

    [TestCaseSource(nameof(BrokenDatasets))]
    public void BrokenDataset_FailsNamingTheProblem(BrokenDataset broken)
    {
        var datasetFile = broken.Write(Work);

        var result = Work.Validate(datasetFile);

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        var failLines = result.StdoutLines.Where(l => l.StartsWith("FAIL ", StringComparison.Ordinal)).ToList();
        Assert.That(failLines, Is.Not.Empty, result.ToString());
        Assert.That(failLines, Has.Some.Matches<string>(l => broken.Expected.All(e => l.Contains(e, StringComparison.Ordinal))),
            $"a FAIL line containing all of [{string.Join(" | ", broken.Expected)}]{Environment.NewLine}{result}");
        Assert.That(result.StdoutLines[^1], Does.Match(@"^\d+ problem\(s\) \(\d+ ms\)$"), result.ToString());
        Assert.That(result.StdoutLines[^1], Does.StartWith($"{failLines.Count} problem(s)"), "the count matches the FAIL lines");
    }

    public static IEnumerable<TestCaseData> BrokenDatasets()
    {
        yield return Case("malformed JSON", work =>
            {
                // A missing comma between two members of readConnector.
                var text = Json(work.SampleDataset("target-uris.json"));
                var broken = text.Replace("\"Single File Reader\",", "\"Single File Reader\"", StringComparison.Ordinal);
                Assert.That(broken, Is.Not.EqualTo(text), "the test's edit applies");
                return work.WriteText("dataset.json", broken);
            },
            "dataset.json", "$.readConnector");

        yield return Case("unknown field (typo)", work => Edit(work, d =>
            {
                var write = d["writeConnector"]!.AsObject();
                write["outputPth"] = write["outputPath"]!.DeepClone();
                write.Remove("outputPath");
            }),
            "outputPth");

        yield return Case("missing readConnector", work => Edit(work, d => d.Remove("readConnector")),
            "readConnector: required");

        yield return Case("unknown readerType", work => Edit(work, d => d["readConnector"]!["readerType"] = "Single File Raeder"),
            "readConnector.readerType", "Single File Raeder");

        yield return Case("rootPath does not exist", work =>
                Edit(work, d => d["readConnector"]!["rootPath"] = Path.Combine(work.Directory, "no-such-folder")),
            "readConnector.rootPath", "no-such-folder");

        yield return Case("artifactFile does not exist", work =>
                Edit(work, d => d["readConnector"]!["artifactFile"] = "LetsData.Plugins.Samples/LetsData.Plugins.Sample.dll"),
            "readConnector.artifactFile", "LetsData.Plugins.Sample.dll");

        yield return Case("class name not in the plugin", work => Edit(work, d =>
                d["readConnector"]!["singleFileParserImplementationClassName"] = "LetsData.Plugins.Samples.TargetUris.TargetUriExtracter"),
            "readConnector.singleFileParserImplementationClassName", "LetsData.Plugins.Samples.TargetUris.TargetUriExtracter");

        yield return Case("WET parser as the multiple-file reader class", work => Edit(work, d =>
            {
                var read = d["readConnector"]!.AsObject();
                read["readerType"] = "Multiple File State Machine Reader";
                read.Remove("singleFileParserImplementationClassName");
                read["multipleFileStateMachineReaderClassName"] = "LetsData.Plugins.Samples.WetText.WetTextParser";
                d["manifestFile"]!["readerType"] = "MULTIPLEFILESTATEMACHINEREADER";
                d["manifestFile"]!["fileContents"] = "WET:whirlwind.warc.wet.gz";
            }),
            "readConnector.multipleFileStateMachineReaderClassName", "LetsData.Plugins.Samples.WetText.WetTextParser",
            "IMultipleFileStateMachineReader");

        yield return Case("single-file parser as the state machine reader class", work => Edit(work, d =>
            {
                var read = d["readConnector"]!.AsObject();
                read["readerType"] = "Single File State Machine Reader";
                read.Remove("singleFileParserImplementationClassName");
                read["singleFileStateMachineReaderImplementationClassName"] = "LetsData.Plugins.Samples.TargetUris.TargetUriExtractor";
                d["manifestFile"]!["readerType"] = "SINGLEFILESTATEMACHINEREADER";
            }),
            "readConnector.singleFileStateMachineReaderImplementationClassName", "LetsData.Plugins.Samples.TargetUris.TargetUriExtractor",
            "ISingleFileStateMachineReader");

        yield return Case("empty inline manifest", work => Edit(work, d => d["manifestFile"]!["fileContents"] = ""),
            "manifestFile.fileContents");

        yield return Case("manifest file with no task lines", work =>
            {
                var manifest = work.WriteText("empty-manifest.txt", "# nothing to do yet\n\n   \n");
                return Edit(work, d => d["manifestFile"] = new JsonObject
                {
                    ["manifestType"] = "LocalManifestFile",
                    ["readerType"] = "SINGLEFILEREADER",
                    ["manifestFilePath"] = manifest,
                });
            },
            "empty-manifest.txt", "no task lines");

        yield return Case("manifest readerType does not match the read connector's", work =>
                Edit(work, d => d["manifestFile"]!["readerType"] = "MULTIPLEFILESTATEMACHINEREADER"),
            "manifestFile.readerType", "MULTIPLEFILESTATEMACHINEREADER");

        yield return Case("multiple-file manifest line not TYPE:name", work => Edit(work, d =>
            {
                var read = d["readConnector"]!.AsObject();
                read["readerType"] = "Multiple File State Machine Reader";
                read.Remove("singleFileParserImplementationClassName");
                d["manifestFile"]!["readerType"] = "MULTIPLEFILESTATEMACHINEREADER";
                d["manifestFile"]!["fileContents"] = "WARC=whirlwind.warc.gz|WET:whirlwind.warc.wet.gz";
            }),
            "manifest", "line 1", "WARC=whirlwind.warc.gz");

        yield return Case("errors written into the documents folder", work =>
                Edit(work, d => d["errorConnector"]!["outputPath"] = work.DocumentsPath),
            "errorConnector.outputPath");

        yield return Case("manifest names a file that does not exist", work =>
                Edit(work, d => d["manifestFile"]!["fileContents"] = "no-such-file.warc.gz"),
            "no-such-file.warc.gz");

        yield return Case("manifest line leading out of rootPath", work =>
                Edit(work, d => d["manifestFile"]!["fileContents"] = "whirlwind.warc.gz\n../../../../../../../../../../etc/passwd"),
            "line 2", "resolves to /etc/passwd, outside readConnector.rootPath");

        yield return Case("a field given twice", work => work.WriteText("dataset.json", File.ReadAllText(Edit(work, _ => { }))
                .Replace("\"concurrency\": 2", "\"concurrency\": 2, \"concurrency\": 1", StringComparison.Ordinal)),
            "computeEngine.concurrency: given twice");

        yield return Case("output path is an existing file", work =>
            {
                File.WriteAllText(Path.Combine(work.Directory, "documents.jsonl"), "");
                return Edit(work, d => d["writeConnector"]!["outputPath"] = Path.Combine(work.Directory, "documents.jsonl"));
            },
            "writeConnector", "documents.jsonl is a file; the output must be a folder");
    }

    private static TestCaseData Case(string name, Func<Workspace, string> write, params string[] expected) =>
        new TestCaseData(new BrokenDataset(name, write, expected)).SetArgDisplayNames(name);

    /// <summary>The target-uris sample (absolute paths) with one edit, written to the workspace.</summary>
    private static string Edit(Workspace work, Action<JsonObject> edit)
    {
        var dataset = work.SampleDataset("target-uris.json");
        edit(dataset);
        return work.WriteDataset(dataset);
    }

    private static string Json(JsonObject dataset) => dataset.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });

    /// <summary>One kind of broken dataset: how to write it, and what its FAIL line must name.</summary>
    public sealed class BrokenDataset
    {
        internal BrokenDataset(string name, Func<Workspace, string> write, string[] expected)
        {
            Name = name;
            Write = write;
            Expected = expected;
        }

        public string Name { get; }

        internal Func<Workspace, string> Write { get; }

        internal string[] Expected { get; }

        public override string ToString() => Name;
    }
}

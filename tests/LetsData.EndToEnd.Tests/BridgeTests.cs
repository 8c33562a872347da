using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// Python and JavaScript projects in LetsData's layout (tests/TestPlugins/Bridge) run by the published worker through
/// its bridge hosts: the same documents and error records as the .NET sample, byte for byte; a crashing host fails its
/// task only; a syntax error is a validate problem naming the file and line.
/// </summary>
public sealed partial class BridgeTests : WorkerTest
{
    private static string Project(string name) => Path.Combine(Repo.Root, "tests", "TestPlugins", "Bridge", name);

    // Requests that become a document, one per error message of the parser, and a unicode URI.
    private const string Requests =
        "WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: <http://good.example/a>\r\nContent-Length: 0\r\n\r\n\r\n\r\n" +
        "WARC/1.0\r\nWARC-Type: request\r\nContent-Length: 0\r\n\r\n\r\n\r\n" +
        "WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: <>\r\n\r\n\r\n\r\n" +
        "WARC/1.0\r\nWARC-Type: request\r\nwarc-target-uri:   http://ünicode.example/ß \r\n\r\n\r\n\r\n" +
        "WARC/1.0\r\nWARC-Type: request\r\nWARC-Target-URI: http://no-blank-line.example/\r\n";

    [TestCase("python", "python-warc")]
    [TestCase("javascript", "js-warc")]
    public void Project_WritesExactlyTheDotnetSamplesDocumentsAndErrors(string language, string project)
    {
        var reference = Dataset("reference");
        var bridged = Dataset("bridged");
        var read = bridged["readConnector"]!.AsObject();
        read["artifactImplementationLanguage"] = language;
        read["artifactFile"] = Project(project);
        read.Remove("singleFileParserImplementationClassName");

        var expected = Work.Run(Work.WriteDataset(reference, "reference.json"), "--state", Path.Combine(Work.Directory, "state-reference"));
        var validated = Work.Validate(Work.WriteDataset(bridged, "bridged.json"));
        var actual = Work.Run(Path.Combine(Work.Directory, "bridged.json"), "--state", Path.Combine(Work.Directory, "state-bridged"));

        Assert.That(expected.ExitCode, Is.Zero, expected.ToString());
        Assert.That(validated.ExitCode, Is.Zero, validated.ToString());
        Assert.That(validated.StdoutLines, Has.Some.StartsWith($"ok   {language} project {Project(project)} loaded by the bridge host"), validated.ToString());
        Assert.That(validated.StdoutLines, Has.Some.StartsWith("ok   SingleFileParser: getS3FileType = WARC"), validated.ToString());
        Assert.That(actual.ExitCode, Is.Zero, actual.ToString());
        Assert.That(actual.Stdout, Does.Contain("2 task(s) completed, 0 errored"), actual.ToString());
        Assert.That(OutputFolders.FileNames(Out("reference", "errors")), Is.Not.Empty, "the input has bad requests");
        OutputFolders.AssertSame(Out("reference", "documents"), Out("bridged", "documents"), $"{project} documents");
        OutputFolders.AssertSame(Out("reference", "errors"), Out("bridged", "errors"), $"{project} error records");
    }

    [Test]
    public void HostThatCrashesMidTask_FailsThatTaskOnly()
    {
        File.WriteAllText(Path.Combine(Work.InputPath, "a.txt"), "REC 1\nREC 2\nREC 3\n");
        File.WriteAllText(Path.Combine(Work.InputPath, "b.txt"), "REC 1\nREC CRASH\nREC 3\n");
        File.WriteAllText(Path.Combine(Work.InputPath, "c.txt"), "REC 1\nREC 2\n");
        var dataset = LinesDataset("a.txt\nb.txt\nc.txt");

        var result = Work.Run(Work.WriteDataset(dataset));

        Assert.That(result.Stdout, Does.Contain("2 task(s) completed, 1 errored"), result.ToString());
        Assert.That(result.ToString(), Does.Contain("python host").And.Contain("died during SingleFileParser.parseDocument"), result.ToString());
        Assert.That(Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0001.a.jsonl")).Select(d => (string?)d["text"]),
            Is.EqualTo(new[] { "REC 1", "REC 2", "REC 3" }));
        Assert.That(Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0003.c.jsonl")).Select(d => (string?)d["text"]),
            Is.EqualTo(new[] { "REC 1", "REC 2" }), "the task after the crash got a new host");
    }

    [Test]
    public void Host_IsInsideTheDataTaskProcessesFence()
    {
        Assume.That(OperatingSystem.IsLinux(), "Landlock is Linux's");
        var outside = Path.Combine(Work.Directory, "outside.txt");
        File.WriteAllText(outside, "not the dataset's");
        File.WriteAllText(Path.Combine(Work.InputPath, "a.txt"), $"REC READ {outside}\n");
        var dataset = LinesDataset("a.txt");

        var result = Work.Run(Work.WriteDataset(dataset));

        Assert.That(result.Stdout, Does.Contain("1 task(s) completed, 0 errored"), result.ToString());
        Assert.That(result.ToString(), Does.Contain("confined: the python bridge host, started before the system-call filter"), result.ToString());
        Assert.That(Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0001.a.jsonl")).Select(d => (string?)d["text"]),
            Is.EqualTo(new[] { "PermissionError" }), "the host may not read outside the dataset's paths");
    }

    [TestCase("python", "python-syntax-error", "SingleFileParser.py:5", "SyntaxError")]
    [TestCase("javascript", "js-syntax-error", "SingleFileParser.js:7", "SyntaxError")]
    public void SyntaxErrorInTheUsersModule_IsAValidateProblemNamingFileAndLine(string language, string project, string fileAndLine, string error)
    {
        var dataset = Work.SampleDataset("target-uris.json");
        var read = dataset["readConnector"]!.AsObject();
        read["artifactImplementationLanguage"] = language;
        read["artifactFile"] = Project(project);
        read.Remove("singleFileParserImplementationClassName");

        var result = Work.Validate(Work.WriteDataset(dataset));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StdoutLines, Has.Some.Matches<string>(l => l.StartsWith("FAIL readConnector.artifactFile: ", StringComparison.Ordinal)
            && l.Contains(Path.Combine(Project(project), "letsdata_interfaces", "readers", "parsers", fileAndLine), StringComparison.Ordinal)
            && l.Contains("SingleFileParser does not load", StringComparison.Ordinal) && l.Contains(error, StringComparison.Ordinal)), result.ToString());
    }

    // The python-crash project over files of lines in the input folder, one task at a time.
    private JsonObject LinesDataset(string manifest)
    {
        var dataset = Work.SampleDataset("target-uris.json");
        var read = dataset["readConnector"]!.AsObject();
        read["artifactImplementationLanguage"] = "python";
        read["artifactFile"] = Project("python-crash");
        read["rootPath"] = Work.InputPath;
        read.Remove("singleFileParserImplementationClassName");
        dataset["manifestFile"]!["fileContents"] = manifest;
        dataset["computeEngine"]!["concurrency"] = 1;
        return dataset;
    }

    // The TargetUris sample over the bundled WARC and a file of requests the parser refuses, into out/<name>/.
    private JsonObject Dataset(string name)
    {
        if (!File.Exists(Path.Combine(Work.InputPath, "requests.warc")))
        {
            Work.CopyInput(Repo.WarcFile, Path.GetFileName(Repo.WarcFile));
            File.WriteAllText(Path.Combine(Work.InputPath, "requests.warc"), Requests);
        }

        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["manifestFile"]!["fileContents"] = $"{Path.GetFileName(Repo.WarcFile)}\nrequests.warc";
        dataset["writeConnector"]!["outputPath"] = Out(name, "documents");
        dataset["errorConnector"]!["outputPath"] = Out(name, "errors");
        return dataset;
    }

    private string Out(string name, string kind) => Path.Combine(Work.Directory, "out", name, kind);
}

using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// <c>"javascriptEngine": "v8"</c> through the published worker: the JavaScript project in-process on V8 writes exactly
/// the Node bridge's documents and error records; a call past the timeout and a heap bomb fail their task only; one
/// instance per task keeps state; no Node API is reachable.
/// </summary>
public sealed partial class BridgeTests
{
    [Test]
    public void JsWarcOnV8_WritesExactlyTheNodeBridgesDocumentsAndErrors()
    {
        var node = Dataset("node");
        var v8 = Dataset("v8");
        foreach (var dataset in new[] { node, v8 })
        {
            var read = dataset["readConnector"]!.AsObject();
            read["artifactImplementationLanguage"] = "javascript";
            read["artifactFile"] = Project("js-warc");
            read.Remove("singleFileParserImplementationClassName");
        }

        v8["readConnector"]!["javascriptEngine"] = "v8";

        var expected = Work.Run(Work.WriteDataset(node, "node.json"), "--state", Path.Combine(Work.Directory, "state-node"));
        var validated = Work.Validate(Work.WriteDataset(v8, "v8.json"));
        var actual = Work.Run(Path.Combine(Work.Directory, "v8.json"), "--state", Path.Combine(Work.Directory, "state-v8"));

        Assert.That(expected.Stdout, Does.Contain("2 task(s) completed, 0 errored"), expected.ToString());
        Assert.That(validated.ExitCode, Is.Zero, validated.ToString());
        Assert.That(validated.StdoutLines, Has.Some.StartsWith($"ok   javascript project {Project("js-warc")} loaded in-process on V8"), validated.ToString());
        Assert.That(validated.StdoutLines, Has.Some.StartsWith("ok   SingleFileParser: getS3FileType = WARC"), validated.ToString());
        Assert.That(actual.Stdout, Does.Contain("2 task(s) completed, 0 errored"), actual.ToString());
        Assert.That(actual.ToString(), Does.Not.Contain("bridge host"), "no Node host is started");
        Assert.That(OutputFolders.FileNames(Out("node", "errors")), Is.Not.Empty, "the input has bad requests");
        OutputFolders.AssertSame(Out("node", "documents"), Out("v8", "documents"), "js-warc documents, Node bridge vs V8");
        OutputFolders.AssertSame(Out("node", "errors"), Out("v8", "errors"), "js-warc error records, Node bridge vs V8");
    }

    [Test]
    public void SyntaxErrorOnV8_IsAValidateProblemNamingFileAndLine()
    {
        var dataset = Work.SampleDataset("target-uris.json");
        var read = dataset["readConnector"]!.AsObject();
        read["artifactImplementationLanguage"] = "javascript";
        read["javascriptEngine"] = "v8";
        read["artifactFile"] = Project("js-syntax-error");
        read.Remove("singleFileParserImplementationClassName");

        var result = Work.Validate(Work.WriteDataset(dataset));

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.StdoutLines, Has.Some.StartsWith(
            $"FAIL readConnector.artifactFile: {Path.Combine(Project("js-syntax-error"), "letsdata_interfaces", "readers", "parsers", "SingleFileParser.js")}:7: SingleFileParser does not load: SyntaxError"),
            result.ToString());
    }

    [Test]
    public void OnV8_ALoopAndAHeapBombFailTheirTasksOnly_AndStateLastsATask()
    {
        File.WriteAllText(Path.Combine(Work.InputPath, "a.txt"), "REC 1\nREC 2\nREC globals\n");
        File.WriteAllText(Path.Combine(Work.InputPath, "b.txt"), "REC 1\nREC loop\nREC 3\n");
        File.WriteAllText(Path.Combine(Work.InputPath, "c.txt"), "REC 1\nREC bomb\n");
        File.WriteAllText(Path.Combine(Work.InputPath, "d.txt"), "REC 1\nREC 2\n");
        var dataset = LinesDataset("a.txt\nb.txt\nc.txt\nd.txt");
        var read = dataset["readConnector"]!.AsObject();
        read["artifactImplementationLanguage"] = "javascript";
        read["javascriptEngine"] = "v8";
        read["javascriptHeapMegabytes"] = 64;
        read["artifactFile"] = Project("js-limits");
        dataset["computeEngine"]!["pluginCallTimeoutSeconds"] = 1;

        var result = Work.Run(Work.WriteDataset(dataset));

        Assert.That(result.Stdout, Does.Contain("2 task(s) completed, 2 errored"), result.ToString());
        Assert.That(result.ToString(), Does.Contain("SingleFileParser.parseDocument did not return within 1 s (pluginCallTimeout): V8 interrupted the script"));
        Assert.That(result.ToString(), Does.Contain("SingleFileParser.parseDocument went over the JavaScript heap limit of 64 MB"));
        Assert.That(result.ToString(), Does.Not.Contain("data-task process was stopped"), "V8 stopped the call, not the process");
        var first = Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0001.a.jsonl"));
        Assert.That(first.Select(d => (int?)d["seen"]), Is.EqualTo(new[] { 1, 2, 3 }), "one instance for the task");
        Assert.That(new[] { "require", "process", "fetch", "Buffer" }.Select(name => (string?)first[2][name]),
            Is.All.EqualTo("ReferenceError"), first[2].ToJsonString());
        Assert.That(Workspace.ReadJsonLines(Path.Combine(Work.DocumentsPath, "task-0004.d.jsonl")).Select(d => (int?)d["seen"]),
            Is.EqualTo(new[] { 1, 2 }), "after the failures the next task runs, with a new instance");
    }
}

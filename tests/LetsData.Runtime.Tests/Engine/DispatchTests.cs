using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Testing;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>Single File Reader results: where each status goes, and what a broken result or a throwing parser does.</summary>
public class DispatchTests
{
    private const string Type = "LOG";
    private const string FiveRecords = "<r>0;<r>1;<r>2;<r>3;<r>4;";

    private static Dictionary<string, string> Map(string value) => new() { [Type] = value };

    [Test]
    public async Task SuccessGoesToDocumentsErrorToTheErrorDestinationAndSkipIsCounted()
    {
        var parser = new RecordingParser(Type, "<r>", ";")
        {
            Respond = (i, seen) => i switch
            {
                1 => new ParseDocumentResult(null, new ErrorDoc(Map("100"), Map("200"), "record 1 is bad", "doc-1"),
                    ParseDocumentResultStatus.Error),
                2 => new ParseDocumentResult(null, new SkipDoc(Map("5"), Map("10"), "not interesting"), ParseDocumentResultStatus.Skip),
                3 => new ParseDocumentResult(null, new ErrorDoc(null, null, "record 3 is bad"), ParseDocumentResultStatus.Error),
                _ => RecordingParser.Success(seen),
            },
        };

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser, HarnessFile.FromText(Type, "f.log", FiveRecords));

        Assert.That(result.Tasks.Single().Succeeded, Is.True);
        Assert.That(result.Documents.Select(RecordingParser.TextOf), Is.EqualTo(new[] { "<r>0", "<r>4" }));
        Assert.That(result.SerializedDocuments, Is.EqualTo(result.Documents.Select(d => d.Serialize())));
        Assert.That(result.SkipCount, Is.EqualTo(1));
        Assert.That(result.ErrorRecords.Select(e => e.ErrorMessage), Is.EqualTo(new[] { "record 1 is bad", "record 3 is bad" }));
        var (first, second) = (result.ErrorRecords[0], result.ErrorRecords[1]);
        Assert.That(first.Kind, Is.EqualTo(ErrorRecordKind.ErrorDoc));
        Assert.That(first.ErrorStartOffsetMap, Is.EqualTo(Map("100")), "the error doc's own offsets");
        Assert.That(first.ErrorEndOffsetMap, Is.EqualTo(Map("200")));
        Assert.That(first.DocumentId, Is.EqualTo("doc-1"));
        Assert.That(first.TaskId, Is.EqualTo("task-0001"));
        Assert.That(second.ErrorStartOffsetMap, Is.EqualTo(Map("15")), "without offsets of its own: the record's start");
        Assert.That(second.ErrorEndOffsetMap, Is.EqualTo(Map("19")), "and end (exclusive)");
    }

    private static IEnumerable<TestCaseData> BrokenResults()
    {
        yield return new TestCaseData(null, "returned null").SetName("null result");
        yield return new TestCaseData(new ParseDocumentResult(null, null, ParseDocumentResultStatus.Success),
            "returned Success without a document").SetName("Success without a document");
    }

    [TestCaseSource(nameof(BrokenResults))]
    public async Task ABrokenResultFailsTheTaskNamingThePluginMethod(ParseDocumentResult? broken, string expected)
    {
        var parser = new RecordingParser(Type, "<r>", ";") { Respond = (i, seen) => i == 1 ? broken : RecordingParser.Success(seen) };

        var result = await LetsDataTestHarness.RunSingleFileParserAsync(() => parser, HarnessFile.FromText(Type, "f.log", FiveRecords));

        var task = result.Tasks.Single();
        Assert.That(task.Succeeded, Is.False);
        Assert.That(task.ErrorMessage, Does.Contain("ISingleFileParser.ParseDocument " + expected));
        Assert.That(result.Documents.Select(RecordingParser.TextOf), Is.EqualTo(new[] { "<r>0" }));
        Assert.That(parser.Seen, Has.Count.EqualTo(2), "the task stops at the broken result");
    }

    [Test]
    public async Task AParserThatThrowsFailsOnlyItsTaskAfterTheDocumentsBeforeIt()
    {
        var files = new InMemoryFileSource();
        foreach (var name in new[] { "good1.log", "bad.log", "good2.log" })
        {
            files.Add(name, TestData.Utf8(FiveRecords.Replace(";", $" {name};")));
        }

        var binding = new SingleFileReaderBinding("ThrowingPlugin", () => new RecordingParser(Type, "<r>", ";")
        {
            Respond = (i, seen) => i == 2 && seen.FileName == "bad.log"
                ? throw new FormatException("cannot parse record 2")
                : RecordingParser.Success(seen),
        });

        var run = await EngineRun.RunAsync(binding, files, EngineRun.OneTaskPerFile("good1.log", "bad.log", "good2.log"),
            new EngineOptions { Concurrency = 2 });

        var bad = run.Task("task-0002");
        var thirdRecordOffset = FiveRecords.Replace(";", " bad.log;").IndexOf("<r>2", StringComparison.Ordinal);
        Assert.That(bad.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(bad.ErrorMessage, Does.Contain("ThrowingPlugin").And.Contain("ISingleFileParser.ParseDocument")
            .And.Contain("bad.log").And.Contain($"offset {thirdRecordOffset}").And.Contain("cannot parse record 2"));
        Assert.That(run.Task("task-0001").Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(run.Task("task-0003").Status, Is.EqualTo(DataTaskStatus.Completed));
        Assert.That(run.Documents.Select(RecordingParser.TextOf).Where(t => t.EndsWith("bad.log", StringComparison.Ordinal)),
            Is.EqualTo(new[] { "<r>0 bad.log", "<r>1 bad.log" }));
        Assert.That(run.Documents.Count(d => RecordingParser.TextOf(d).EndsWith("good1.log", StringComparison.Ordinal)), Is.EqualTo(5));
        Assert.That(run.Documents.Count(d => RecordingParser.TextOf(d).EndsWith("good2.log", StringComparison.Ordinal)), Is.EqualTo(5));
        var taskError = run.Errors.Single();
        Assert.That(taskError.Kind, Is.EqualTo(ErrorRecordKind.TaskError));
        Assert.That(taskError.TaskId, Is.EqualTo("task-0002"));
        Assert.That(taskError.ErrorStartOffsetMap, Is.EqualTo(Map(thirdRecordOffset.ToString())));
    }
}

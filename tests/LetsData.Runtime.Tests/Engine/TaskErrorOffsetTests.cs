using System.Text;
using System.Text.RegularExpressions;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;
using LetsData.Runtime.State;
using LetsData.Runtime.Tests.TestSupport;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Engine;

/// <summary>A task error record built from unusable input points where its message says, not where the task last was.</summary>
public partial class TaskErrorOffsetTests
{
    private const string Type = "LOG";

    [TestCase("<r>one</r>\n\n<r>two</r>\n\n", TestName = "{m}(after records and gaps)")]
    [TestCase("garbage before the first record ", TestName = "{m}(the first record)")]
    public async Task ARecordOverTheCeiling_TheErrorRecordAndTheMessageNameTheRecordsStart(string before)
    {
        var text = before + "<r>" + new string('x', 200) + "</r><r>after</r>";
        var recordStart = Encoding.UTF8.GetByteCount(before);

        var run = await EngineRun.RunAsync(new SingleFileReaderBinding("test", () => new RecordingParser(Type, "<r>", "</r>")),
            new InMemoryFileSource().Add("big.log", Encoding.UTF8.GetBytes(text)), EngineRun.OneTaskPerFile("big.log"),
            new EngineOptions { MaxRecordBytes = 100 });

        var task = run.Task("task-0001");
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(task.ErrorMessage, Is.EqualTo(
            $"big.log: record at offset {recordStart} is larger than maxRecordBytes 100 (no end hint found within it)"));
        var taskError = run.Errors.Single(e => e.Kind == ErrorRecordKind.TaskError);
        Assert.That(taskError.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { [Type] = recordStart.ToString() }));
        Assert.That(taskError.ErrorEndOffsetMap, Is.EqualTo(taskError.ErrorStartOffsetMap));
        var lastError = TaskErrorParser.Parse(task.ErrorMessage!);
        Assert.That((lastError.FileName, lastError.Position), Is.EqualTo(("big.log", recordStart.ToString())), "the task record's position too");
    }

    [Test]
    public async Task ACompressedFileCutShort_TheErrorRecordPointsWhereTheReadFailed()
    {
        var records = Enumerable.Range(0, 400).Select(i => TestData.Utf8($"<r>record {i:D4} {new string('p', i % 50)}</r>")).ToList();
        var compressed = TestData.GzipMembers(records);
        var cut = compressed[..(compressed.Length * 2 / 3)];

        var run = await EngineRun.RunAsync(new SingleFileReaderBinding("test", () => new RecordingParser(Type, "<r>", "</r>")),
            new InMemoryFileSource().Add("cut.log.gz", cut), EngineRun.OneTaskPerFile("cut.log.gz"));

        var task = run.Task("task-0001");
        Assert.That(task.Status, Is.EqualTo(DataTaskStatus.Errored));
        Assert.That(run.Documents, Is.Not.Empty, "records before the cut were read");
        var offset = OffsetInMessage().Match(task.ErrorMessage!);
        Assert.That(offset.Success, Is.True, task.ErrorMessage);
        var taskError = run.Errors.Single(e => e.Kind == ErrorRecordKind.TaskError);
        Assert.That(taskError.ErrorStartOffsetMap![Type], Is.EqualTo(offset.Groups[1].Value), task.ErrorMessage);
    }

    [GeneratedRegex(@"^cut\.log\.gz at offset (\d+): corrupt or truncated compressed data")]
    private static partial Regex OffsetInMessage();
}

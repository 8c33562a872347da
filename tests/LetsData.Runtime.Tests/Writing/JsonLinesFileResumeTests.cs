using System.Text;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Tests.Writing;

/// <summary>
/// A resumed task's local output: the earlier attempt's file is cut back to the checkpoint's length before the new
/// lines go on. (The end-to-end kill test cannot see a missing cut: a deterministic plugin writes the same bytes over
/// the stale tail. Here the resumed attempt writes other lines, shorter than the stale tail.)
/// </summary>
public class JsonLinesFileResumeTests
{
    private string _directory = "";

    [SetUp]
    public void CreateFolder() => _directory = Directory.CreateDirectory(
        Path.Combine(Path.GetTempPath(), "letsdata-jsonl-resume-" + Guid.NewGuid().ToString("N"))).FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_directory, recursive: true);

    [TestCase(".jsonl.inprogress", TestName = "{m}(killed while in progress)")]
    [TestCase(".jsonl", TestName = "{m}(killed after the rename, before the outcome was recorded)")]
    [TestCase(".errored.jsonl", TestName = "{m}(errored, then redriven)")]
    public void TheEarlierAttemptsFile_IsCutBackToTheCheckpoint_BeforeTheResumedAttemptWrites(string earlierSuffix)
    {
        const string beforeCheckpoint = "{\"n\":1}\n{\"n\":2}\n";
        File.WriteAllText(Path.Combine(_directory, "task-0001" + earlierSuffix), beforeCheckpoint + "{\"n\":3,\"stale\":\"after the checkpoint\"}\n{\"n\":4}\n");

        using (var resumed = new JsonLinesFile(_directory, "task-0001", Encoding.UTF8.GetByteCount(beforeCheckpoint).ToString()))
        {
            resumed.WriteLine("{\"n\":3}"u8);
            resumed.Complete(succeeded: true);
        }

        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { "task-0001.jsonl" }));
        Assert.That(File.ReadAllText(Path.Combine(_directory, "task-0001.jsonl")), Is.EqualTo(beforeCheckpoint + "{\"n\":3}\n"));
    }

    [TestCase(true, TestName = "{m}(resumed)")]
    [TestCase(false, TestName = "{m}(started over)")]
    public void TheCopyOfAnAttemptKilledWhileResuming_IsRemovedByTheNextAttempt(bool resume)
    {
        // Killed after creating its copy of the checkpoint's bytes, before renaming it over the in-progress name.
        File.WriteAllText(Path.Combine(_directory, "task-0001.jsonl.inprogress"), "{\"n\":1}\n");
        File.WriteAllText(Path.Combine(_directory, "task-0001.jsonl.inprogress.resume-0123abcd"), "{\"n\"");
        File.WriteAllText(Path.Combine(_directory, "task-0002.jsonl.inprogress.resume-4567cdef"), "another task's");

        using (var next = new JsonLinesFile(_directory, "task-0001", resume ? "8" : null))
        {
            next.WriteLine("{\"n\":2}"u8);
            next.Complete(succeeded: true);
        }

        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "task-0001.jsonl", "task-0002.jsonl.inprogress.resume-4567cdef" }));
        Assert.That(File.ReadAllText(Path.Combine(_directory, "task-0001.jsonl")), Is.EqualTo(resume ? "{\"n\":1}\n{\"n\":2}\n" : "{\"n\":2}\n"));
    }

    [Test]
    public void AStaleWriterOfTheTask_CannotTouchTheResumedOutput()
    {
        using var stale = new JsonLinesFile(_directory, "task-0001");
        stale.WriteLine("{\"n\":1}"u8);
        Assert.That(stale.TryCheckpoint(out var position), Is.True);
        stale.WriteLine("{\"n\":2,\"by\":\"stale\"}"u8);
        stale.TryCheckpoint(out _);

        using (var resumed = new JsonLinesFile(_directory, "task-0001", position))
        {
            // The worker that lost the task has not noticed yet: it goes on writing through its open file.
            stale.WriteLine("{\"n\":3,\"by\":\"stale\"}"u8);
            stale.TryCheckpoint(out _);
            resumed.WriteLine("{\"n\":2}"u8);
            resumed.Complete(succeeded: true);
        }

        Assert.That(File.ReadAllText(Path.Combine(_directory, "task-0001.jsonl")), Is.EqualTo("{\"n\":1}\n{\"n\":2}\n"));
    }
}

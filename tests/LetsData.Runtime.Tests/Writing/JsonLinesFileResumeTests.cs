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
        // Killed after creating its file (here a copy of the checkpoint's bytes), before renaming it over the in-progress name.
        File.WriteAllText(Path.Combine(_directory, "task-0001.jsonl.inprogress"), "{\"n\":1}\n");
        File.WriteAllText(Path.Combine(_directory, "task-0001.jsonl.inprogress.prepared-0123abcd"), "{\"n\"");
        File.WriteAllText(Path.Combine(_directory, "task-0002.jsonl.inprogress.prepared-4567cdef"), "another task's");

        using (var next = new JsonLinesFile(_directory, "task-0001", resume ? "8" : null))
        {
            next.WriteLine("{\"n\":2}"u8);
            next.Complete(succeeded: true);
        }

        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName).Order(),
            Is.EqualTo(new[] { "task-0001.jsonl", "task-0002.jsonl.inprogress.prepared-4567cdef" }));
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

    /// <summary>
    /// The new holder of a task and a stale writer that wakes up after the take-over and flushes lines at its next
    /// checkpoint (before it asks whether it still holds the task): whether the stale one had made its file before the
    /// take-over or not, and whether the new holder started over or resumed from a checkpoint taken before any line,
    /// the output is the new holder's lines and nothing else.
    /// </summary>
    [TestCase(false, null, TestName = "{m}(stale writer had no file, task started over)")]
    [TestCase(false, "0", TestName = "{m}(stale writer had no file, resumed before any line)")]
    [TestCase(true, null, TestName = "{m}(stale writer had a file, task started over)")]
    public void AStaleWriterThatWakesUpAfterTheTakeOver_CannotTouchTheNewHoldersOutput(bool staleWroteBefore, string? position)
    {
        using var stale = new JsonLinesFile(_directory, "task-0001");
        if (staleWroteBefore)
        {
            stale.WriteLine("{\"n\":1,\"by\":\"stale, before the take-over\"}"u8);
            stale.TryCheckpoint(out _);
        }

        using (var holder = new JsonLinesFile(_directory, "task-0001", position))
        {
            holder.WriteLine("{\"n\":1}"u8);
            holder.TryCheckpoint(out _);
            stale.WriteLine("{\"n\":1,\"by\":\"stale, after the take-over\"}"u8);
            stale.WriteLine("{\"n\":2,\"by\":\"stale, after the take-over\"}"u8);
            stale.TryCheckpoint(out _);
            holder.WriteLine("{\"n\":2}"u8);
            holder.Complete(succeeded: true);
        }

        Assert.That(File.ReadAllText(Path.Combine(_directory, "task-0001.jsonl")), Is.EqualTo("{\"n\":1}\n{\"n\":2}\n"));
        Assert.That(Directory.GetFiles(_directory).Select(Path.GetFileName), Is.EqualTo(new[] { "task-0001.jsonl" }),
            "the stale writer's file has no name");
    }

    [TestCase(null, TestName = "{m}(started over)")]
    [TestCase("0", TestName = "{m}(resumed before any line)")]
    public void AnAttemptThatWritesNoLine_LeavesNoFile_AndRemovesTheOneAnEarlierAttemptLeft(string? position)
    {
        File.WriteAllText(Path.Combine(_directory, "task-0001.jsonl.inprogress"), "{\"n\":1,\"by\":\"an attempt that was killed\"}\n");

        using (var next = new JsonLinesFile(_directory, "task-0001", position))
        {
            next.Complete(succeeded: true);
        }

        Assert.That(Directory.GetFiles(_directory), Is.Empty);
    }
}

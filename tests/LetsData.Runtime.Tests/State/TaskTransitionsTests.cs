using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>The outcomes written for a task: attempts, counters, last error, redrive.</summary>
public class TaskTransitionsTests : StateFolderTest
{
    private static TaskRecord Processing() =>
        TaskTransitions.Claimed(NewRecord() with { Version = 3 }, "a:1", T0, TimeSpan.FromMinutes(2));

    [Test]
    public void Completed_CountsTheAttempt_TakesTheCounters_EndsTheLease()
    {
        var ended = TaskTransitions.Ended(Processing(), Completed("task-0001", documents: 5), null, T0.AddSeconds(9));

        Assert.Multiple(() =>
        {
            Assert.That(ended.Status, Is.EqualTo(TaskRecordStatus.Completed));
            Assert.That(ended.Attempts, Is.EqualTo(1));
            Assert.That(ended.Counters.Documents, Is.EqualTo(5));
            Assert.That(ended.Counters.Records, Is.EqualTo(6));
            Assert.That(ended.LeaseExpiresAt, Is.Null);
            Assert.That(ended.EndedAt, Is.EqualTo(T0.AddSeconds(9)));
            Assert.That(ended.Version, Is.EqualTo(3), "the version read: the store compares it");
        });
    }

    [Test]
    public void EveryWriteOfTheHolderThatKeepsTheTask_MovesTheLeaseCounter()
    {
        var lease = TimeSpan.FromMinutes(2);
        var claimed = TaskTransitions.Claimed(NewRecord() with { LeaseCounter = 7 }, "a:1", T0, lease);
        var renewed = TaskTransitions.Renewed(claimed, T0.AddSeconds(40), lease);
        var checkpointed = TaskTransitions.Checkpointed(renewed, new TaskCheckpoint { Number = 1 }, T0.AddSeconds(50), lease);
        var dropped = TaskTransitions.CheckpointDropped(checkpointed, T0.AddSeconds(60), lease);

        // Other workers watch the counter: a holder write that left it alone would look like a holder that stopped.
        Assert.That(new[] { claimed, renewed, checkpointed, dropped }.Select(r => r.LeaseCounter), Is.EqualTo(new long[] { 8, 9, 10, 11 }));
        Assert.That(dropped.LeaseExpiresAt, Is.EqualTo(T0.AddSeconds(60) + lease), "the holder's expiry is still written, for people");
    }

    [Test]
    public void AnErroredAttemptThatStartedOver_DoesNotFallBackToTheCheckpointItCouldNotUse()
    {
        var withCheckpoint = Processing() with { Checkpoint = System.Text.Json.JsonDocument.Parse("{\"number\":4}").RootElement };

        var restarted = TaskTransitions.Ended(withCheckpoint, Errored("task-0001", "boom") with { RestartedBecause = "checkpoint 4 not used: gone" }, null, T0);
        var resumed = TaskTransitions.Ended(withCheckpoint, Errored("task-0001", "boom"), null, T0);

        Assert.That(restarted.Checkpoint, Is.Null, "a redrive must start from the beginning, as this attempt did");
        Assert.That(resumed.Checkpoint?.GetRawText(), Is.EqualTo("{\"number\":4}"), "an attempt that took no checkpoint of its own keeps the record's");
    }

    [Test]
    public void Errored_KeepsTheMessage_AndParsesWhere()
    {
        const string Message = "plugin Samples threw in ISingleFileParser.ParseDocument (file bad.warc.gz, type WARC, offset 1234): FormatException: no header";

        var ended = TaskTransitions.Ended(Processing(), Errored("task-0001", Message), null, T0);

        Assert.That(ended.Status, Is.EqualTo(TaskRecordStatus.Errored));
        Assert.That(ended.Attempts, Is.EqualTo(1));
        Assert.That(ended.LastError, Is.EqualTo(new TaskLastError(Message, "WARC", "bad.warc.gz", "offset", "1234")));
    }

    [Test]
    public void ASuccessAfterAFailure_KeepsTheLastErrorAsHistory()
    {
        var errored = TaskTransitions.Ended(Processing(), Errored("task-0001", "boom"), null, T0);
        var again = TaskTransitions.Claimed(errored, "b:2", T0, TimeSpan.FromMinutes(2));

        var completed = TaskTransitions.Ended(again, Completed("task-0001"), null, T0);

        Assert.That(completed.Attempts, Is.EqualTo(2));
        Assert.That(completed.LastError!.Message, Is.EqualTo("boom"));
    }

    [Test]
    public void Redrive_ErroredToCreated_KeepsAttemptsAndError()
    {
        var errored = TaskTransitions.Ended(Processing(), Errored("task-0001", "boom"), null, T0);

        var redriven = TaskTransitions.Redriven(errored);

        Assert.That(redriven.Status, Is.EqualTo(TaskRecordStatus.Created));
        Assert.That(redriven.Attempts, Is.EqualTo(1));
        Assert.That(redriven.LastError!.Message, Is.EqualTo("boom"));
    }

    [TestCase(TaskRecordStatus.Created)]
    [TestCase(TaskRecordStatus.Completed)]
    [TestCase(TaskRecordStatus.Processing)]
    public void Redrive_OfANonErroredTask_IsRefused(TaskRecordStatus status) =>
        Assert.Throws<InvalidOperationException>(() => TaskTransitions.Redriven(NewRecord() with { Status = status }));

    [Test]
    public void Interrupted_IsRerun_WithoutAnAttempt()
    {
        var interrupted = TaskTransitions.Interrupted(Processing(), T0);

        Assert.That(interrupted.Status, Is.EqualTo(TaskRecordStatus.Rerun));
        Assert.That(interrupted.Attempts, Is.Zero);
        Assert.That(interrupted.LeaseExpiresAt, Is.Null);
    }

    [TestCase("CREATED", TaskRecordStatus.Created)]
    [TestCase("errored", TaskRecordStatus.Errored)]
    [TestCase("Rerun", TaskRecordStatus.Rerun)]
    public void StatusNames_Parse(string text, TaskRecordStatus expected)
    {
        Assert.That(TaskRecordStatuses.TryParse(text, out var status), Is.True);
        Assert.That(status, Is.EqualTo(expected));
        Assert.That(expected.Name(), Is.EqualTo(text.ToUpperInvariant()));
    }

    [TestCase("DONE")]
    [TestCase("1")]
    [TestCase("")]
    public void UnknownStatusNames_DoNotParse(string text) => Assert.That(TaskRecordStatuses.TryParse(text, out _), Is.False);
}

using System.Text.Json;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Engine.Checkpoints;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>A worker's task ledger over the local store: registration, claims one task at a time, checkpoints, outcomes, take-over.</summary>
public class StoreTaskLedgerTests : StateFolderTest
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private static Task<StoreTaskLedger> OpenAsync(ITaskStore store, string worker, ManualTimeProvider? clock = null,
        StoreTaskLedgerOptions? options = null, params string[] files)
    {
        clock ??= new ManualTimeProvider(T0);
        var tasks = files.Select((f, i) => Definition(i + 1, f)).ToList();
        return StoreTaskLedger.OpenAsync(store, new TaskLeases(store, worker, Lease, clock), "Demo", "Single File Reader", tasks,
            options ?? new StoreTaskLedgerOptions { TakeOverExpired = false }, clock);
    }

    private static List<TaskAssignment> TakeAll(StoreTaskLedger ledger)
    {
        var taken = new List<TaskAssignment>();
        while (ledger.TakeNext(CancellationToken.None) is { } next)
        {
            taken.Add(next);
        }

        return taken;
    }

    private static TaskCheckpoint Checkpoint(long offset, long documents) => new()
    {
        Files = new Dictionary<string, FileCheckpoint> { ["file"] = new(offset) },
        DocumentsOutput = (documents * 10).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Counters = new CheckpointCounters(documents, documents, 0, 0),
        Number = 1,
    };

    [Test]
    public async Task AFirstRun_ClaimsEachTaskWhenTaken_AndRecordsEachOutcomeWhenItEnds()
    {
        var store = new LocalTaskStore(Folder);
        await using var ledger = await OpenAsync(store, "a:1", files: ["a", "b", "c"]);
        Assert.That((await store.ListAsync()).Select(r => r.Status), Is.All.EqualTo(TaskRecordStatus.Created), "nothing is claimed up front");

        var first = ledger.TakeNext(CancellationToken.None)!;
        Assert.That(first.Task.TaskId, Is.EqualTo("task-0001"));
        Assert.That((await store.GetAsync("task-0001"))!.Status, Is.EqualTo(TaskRecordStatus.Processing));
        Assert.That((await store.GetAsync("task-0002"))!.Status, Is.EqualTo(TaskRecordStatus.Created));

        ledger.End(first, Completed("task-0001"));
        Assert.That((await store.GetAsync("task-0001"))!.Status, Is.EqualTo(TaskRecordStatus.Completed), "recorded as the task ends");

        var rest = TakeAll(ledger);
        ledger.End(rest[0], Errored("task-0002", "boom"));
        ledger.End(rest[1], Completed("task-0003"));

        var records = await store.ListAsync();
        Assert.That(records.Select(r => r.Status),
            Is.EqualTo(new[] { TaskRecordStatus.Completed, TaskRecordStatus.Errored, TaskRecordStatus.Completed }));
        Assert.That(records.Select(r => r.Attempts), Is.All.EqualTo(1));
        Assert.That(records[1].LastError!.Message, Is.EqualTo("boom"));
    }

    [Test]
    public async Task AnOutcomesWarnings_AreRecorded_AndTheNextAttemptsReplaceThem()
    {
        var store = new LocalTaskStore(Folder);
        await using (var first = await OpenAsync(store, "a:1", files: ["a"]))
        {
            first.End(TakeAll(first)[0], Completed("task-0001") with { Warnings = ["file a: empty file, no record"] });
        }

        var warned = await store.GetAsync("task-0001");
        await using (var again = await OpenAsync(store, "b:2", options: new StoreTaskLedgerOptions { RerunCompleted = true, TakeOverExpired = false },
            files: ["a"]))
        {
            again.End(TakeAll(again)[0], Completed("task-0001"));
        }

        Assert.That(warned!.Warnings, Is.EqualTo(new[] { "file a: empty file, no record" }));
        Assert.That((await store.GetAsync("task-0001"))!.Warnings, Is.Null, "the latest attempt's: it had none");
    }

    [Test]
    public async Task ASecondRun_SkipsCompleted_AndRunsTheErroredAgain_FromItsCheckpoint()
    {
        var store = new LocalTaskStore(Folder);
        await using (var first = await OpenAsync(store, "a:1", files: ["a", "b"]))
        {
            var taken = TakeAll(first);
            first.End(taken[0], Completed("task-0001"));
            first.SaveCheckpoint(taken[1], Checkpoint(500, 7));
            first.End(taken[1], Errored("task-0002", "boom") with { Checkpoint = Checkpoint(500, 7) });
        }

        await using var second = await OpenAsync(store, "b:2", files: ["a", "b"]);
        var again = TakeAll(second);

        Assert.That(second.SkippedCompleted, Is.EqualTo(1));
        Assert.That(again.Select(t => t.Task.TaskId), Is.EqualTo(new[] { "task-0002" }));
        Assert.That(again[0].ResumeFrom!.Files!["file"].Offset, Is.EqualTo(500));
        Assert.That(again[0].ResumeFrom!.Counters.Documents, Is.EqualTo(7));
    }

    [Test]
    public async Task ADroppedCheckpoint_IsGoneFromTheRecord_SoAnErroredAttemptThatStartedOver_IsRedrivenFromTheBeginning()
    {
        var store = new LocalTaskStore(Folder);
        await using (var first = await OpenAsync(store, "a:1", files: ["a"]))
        {
            var taken = TakeAll(first).Single();
            first.SaveCheckpoint(taken, Checkpoint(500, 7));
            first.End(taken, Errored("task-0001", "killed before its outcome") with { Status = DataTaskStatus.Rerun, Checkpoint = Checkpoint(500, 7) });
        }

        await using (var second = await OpenAsync(store, "b:2", files: ["a"]))
        {
            // The checkpoint's output is gone: this attempt starts over, forgets the checkpoint, and errors before its first.
            var resumed = TakeAll(second).Single();
            Assert.That(resumed.ResumeFrom, Is.Not.Null);
            second.DropCheckpoint(resumed);
            var record = (await store.GetAsync("task-0001"))!;
            Assert.That(record.Checkpoint, Is.Null);
            Assert.That(record.Counters.Documents, Is.Zero);
            second.End(resumed with { ResumeFrom = null }, Errored("task-0001", "boom"));
        }

        await using var third = await OpenAsync(store, "c:3", files: ["a"]);
        Assert.That(TakeAll(third).Single().ResumeFrom, Is.Null, "redriven from the beginning, not from the checkpoint the second attempt could not use");
    }

    [Test]
    public async Task RerunCompleted_ClaimsTheCompletedToo_FromTheirBeginning()
    {
        var store = new LocalTaskStore(Folder);
        await using (var first = await OpenAsync(store, "a:1", files: ["a"]))
        {
            var taken = TakeAll(first);
            first.SaveCheckpoint(taken[0], Checkpoint(100, 1));
            first.End(taken[0], Completed("task-0001"));
        }

        await using var again = await OpenAsync(store, "b:2", options: new StoreTaskLedgerOptions { RerunCompleted = true, TakeOverExpired = false },
            files: ["a"]);
        var taken2 = TakeAll(again);

        Assert.That(again.SkippedCompleted, Is.Zero);
        Assert.That(taken2, Has.Count.EqualTo(1));
        Assert.That(taken2[0].ResumeFrom, Is.Null);
    }

    [Test]
    public async Task ACompletedTask_DropsItsCheckpoint_AndCountsAcrossAttempts()
    {
        var store = new LocalTaskStore(Folder);
        await using (var first = await OpenAsync(store, "a:1", files: ["a"]))
        {
            var taken = TakeAll(first);
            first.SaveCheckpoint(taken[0], Checkpoint(100, 4));
            first.End(taken[0], Errored("task-0001", "boom"));
        }

        await using (var second = await OpenAsync(store, "a:1", files: ["a"]))
        {
            var resumed = TakeAll(second).Single();
            second.End(resumed, Completed("task-0001", documents: 3));
        }

        var record = (await store.GetAsync("task-0001"))!;
        Assert.That(record.Checkpoint, Is.Null);
        Assert.That(record.Counters.Documents, Is.EqualTo(7), "4 before the checkpoint + 3 after it");
        Assert.That(record.Attempts, Is.EqualTo(2));
    }

    [Test]
    public async Task TasksHeldByALiveWorker_AreLeftToIt_UntilItsLeaseGoesUnrenewedForALeasePeriod_ThenTakenOverWithTheirCheckpoint()
    {
        var store = new LocalTaskStore(Folder);
        await using var other = await OpenAsync(store, "other-host:1", new ManualTimeProvider(T0), files: ["a", "b"]);
        var held = TakeAll(other);
        other.SaveCheckpoint(held[1], Checkpoint(900, 9));
        other.End(held[0], Completed("task-0001"));

        // This worker's wall clock is a day ahead: the other's lease has long run out by it, and must not count.
        var clock = new ManualTimeProvider(T0 + TimeSpan.FromDays(1));
        await using var second = await OpenAsync(store, "b:2", clock,
            new StoreTaskLedgerOptions { TakeOverExpired = true, PollInterval = TimeSpan.FromMilliseconds(10) }, files: ["a", "b"]);
        Assert.That(second.HeldElsewhere.Select(r => r.TaskId), Is.EqualTo(new[] { "task-0002" }));

        var taking = Task.Run(() => second.TakeNext(CancellationToken.None));
        await Task.Delay(200);
        Assert.That(taking.IsCompleted, Is.False, "waits while the other worker's lease runs");

        clock.Advance(Lease);
        var takenOver = await taking.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.That(takenOver!.Task.TaskId, Is.EqualTo("task-0002"));
        Assert.That(takenOver.ResumeFrom!.Files!["file"].Offset, Is.EqualTo(900));
        Assert.That((await store.GetAsync("task-0002"))!.WorkerId, Is.EqualTo("b:2"));
        Assert.Throws<TaskOwnershipLostException>(() => other.SaveCheckpoint(held[1], Checkpoint(950, 10)),
            "the worker that lost the lease may not write for the task any more");
        Assert.Throws<TaskOwnershipLostException>(() => other.ConfirmOwnership(held[1]));
    }

    [Test]
    public async Task AnErroredTask_IsNotHandedOutTwiceInOneRun()
    {
        var store = new LocalTaskStore(Folder);
        await using var ledger = await OpenAsync(store, "a:1",
            options: new StoreTaskLedgerOptions { TakeOverExpired = true, PollInterval = TimeSpan.FromMilliseconds(10) }, files: ["a"]);
        var taken = ledger.TakeNext(CancellationToken.None)!;
        ledger.End(taken, Errored("task-0001", "boom"));

        Assert.That(ledger.TakeNext(CancellationToken.None), Is.Null);
    }

    [Test]
    public async Task TasksWithoutAnOutcome_GoToRerun_KeepingTheirCheckpoint_WhenTheRunEnds()
    {
        var store = new LocalTaskStore(Folder);
        await using (var ledger = await OpenAsync(store, "a:1", files: ["a", "b"]))
        {
            var taken = TakeAll(ledger);
            ledger.End(taken[0], Completed("task-0001"));
            ledger.SaveCheckpoint(taken[1], Checkpoint(42, 2));
        }

        var records = await store.ListAsync();
        Assert.That(records.Select(r => r.Status), Is.EqualTo(new[] { TaskRecordStatus.Completed, TaskRecordStatus.Rerun }));
        Assert.That(records[1].Attempts, Is.Zero);
        Assert.That(TaskCheckpoint.FromJson(records[1].Checkpoint!.Value, out _)!.Files!["file"].Offset, Is.EqualTo(42));
    }

    [Test]
    public async Task ATimeBoxedTask_EndsRerun_WithoutCountingAnAttempt()
    {
        var store = new LocalTaskStore(Folder);
        await using (var ledger = await OpenAsync(store, "a:1", files: ["a"]))
        {
            var taken = TakeAll(ledger).Single();
            ledger.End(taken, new TaskResult("task-0001", DataTaskStatus.Rerun, null, new TaskCounters(), TimeSpan.FromSeconds(1))
            {
                Checkpoint = Checkpoint(77, 3),
            });
        }

        var record = (await store.GetAsync("task-0001"))!;
        Assert.That(record.Status, Is.EqualTo(TaskRecordStatus.Rerun));
        Assert.That(record.Attempts, Is.Zero);
        Assert.That(record.Checkpoint!.Value.GetProperty("files").GetProperty("file").GetProperty("offset").GetInt64(), Is.EqualTo(77));
    }

    [Test]
    public async Task RenewAll_ExtendsEveryHeldLease()
    {
        var store = new LocalTaskStore(Folder);
        var clock = new ManualTimeProvider(T0);
        await using var ledger = await OpenAsync(store, "a:1", clock, files: ["a"]);
        var taken = TakeAll(ledger).Single();

        clock.Now = T0 + TimeSpan.FromMinutes(1);
        await ledger.RenewAllAsync(CancellationToken.None);

        Assert.That((await store.GetAsync("task-0001"))!.LeaseExpiresAt, Is.EqualTo(T0 + TimeSpan.FromMinutes(1) + Lease));
        ledger.End(taken, Completed("task-0001"));
        Assert.That((await store.GetAsync("task-0001"))!.Status, Is.EqualTo(TaskRecordStatus.Completed), "recorded over the renewed version");
    }

    [Test]
    public async Task ARenewalThatFailsWithAnyException_IsAWarning_AndTheNextRenewalExtendsTheLease()
    {
        var store = new FailingUpdatesStore(new LocalTaskStore(Folder));
        var clock = new ManualTimeProvider(T0);
        await using var ledger = await OpenAsync(store, "a:1", clock, files: ["a"]);
        TakeAll(ledger).Single();

        // The local store's disk full or unreadable for a moment: an IOException, not a TaskStoreException.
        store.FailNext = new IOException("No space left on device");
        clock.Now = T0 + TimeSpan.FromMinutes(1);
        Assert.DoesNotThrowAsync(() => ledger.RenewAllAsync(CancellationToken.None), "a failed renewal ended the renewals");
        Assert.That(ledger.Warnings, Has.Some.Contain("task task-0001: renewing the lease failed: No space left on device"));

        clock.Now = T0 + TimeSpan.FromMinutes(1.5);
        await ledger.RenewAllAsync(CancellationToken.None);
        Assert.That((await store.GetAsync("task-0001"))!.LeaseExpiresAt, Is.EqualTo(clock.Now + Lease));
    }

    /// <summary>A store whose next update fails with <see cref="FailNext"/>, once.</summary>
    private sealed class FailingUpdatesStore(ITaskStore inner) : ITaskStore
    {
        public Exception? FailNext { get; set; }
        public string Location => inner.Location;
        public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default) => inner.GetAsync(taskId, cancellationToken);
        public Task<IReadOnlyList<TaskRecord>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public Task<TaskRecord> CreateIfAbsentAsync(TaskRecord record, CancellationToken cancellationToken = default) =>
            inner.CreateIfAbsentAsync(record, cancellationToken);

        public Task<TaskRecord> UpdateAsync(TaskRecord record, CancellationToken cancellationToken = default)
        {
            if (FailNext is { } failure)
            {
                FailNext = null;
                throw failure;
            }

            return inner.UpdateAsync(record, cancellationToken);
        }
    }

    [Test]
    public async Task AChangedManifest_UnderTheSameTaskIds_IsRefused()
    {
        var store = new LocalTaskStore(Folder);
        await using (await OpenAsync(store, "a:1", files: ["a"]))
        {
        }

        var error = Assert.ThrowsAsync<TaskStoreException>(() => OpenAsync(store, "a:1", files: ["other"]));

        Assert.That(error!.Message, Does.Contain("task-0001").And.Contain("manifest changed"));
    }

    [Test]
    public async Task AnUnreadableCheckpoint_IsAnErrorNamingTheTask_NotAFreshStart()
    {
        var store = new LocalTaskStore(Folder);
        await using (var first = await OpenAsync(store, "a:1", files: ["a"]))
        {
            var taken = TakeAll(first).Single();
            first.End(taken, Errored("task-0001", "boom"));
        }

        var stored = (await store.GetAsync("task-0001"))!;
        using var broken = JsonDocument.Parse("""{"files": {"file": {"offset": "not a number"}}}""");
        await store.UpdateAsync(stored with { Checkpoint = broken.RootElement.Clone() });

        await using var second = await OpenAsync(store, "a:1", files: ["a"]);
        var error = Assert.Throws<TaskStoreException>(() => second.TakeNext(CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("task-0001").And.Contain("checkpoint"));
    }
}

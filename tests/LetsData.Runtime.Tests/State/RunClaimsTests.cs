using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>A run's registration, claims and outcomes against the local store.</summary>
public class RunClaimsTests : StateFolderTest
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private async Task<RunClaims> ClaimAsync(LocalTaskStore store, string worker, bool rerunCompleted = false, params string[] files)
    {
        var clock = new ManualTimeProvider(T0);
        var tasks = files.Select((f, i) => Definition(i + 1, f)).ToList();
        return await RunClaims.ClaimAsync(store, new TaskLeases(store, worker, Lease, clock), "Demo", "Single File Reader", tasks,
            rerunCompleted, clock);
    }

    [Test]
    public async Task AFirstRun_RegistersAndClaimsEveryTask_AndRecordsOutcomes()
    {
        var store = new LocalTaskStore(Folder);
        await using (var run = await ClaimAsync(store, "a:1", false, "a", "b", "c"))
        {
            Assert.That(run.Tasks.Select(t => t.TaskId), Is.EqualTo(new[] { "task-0001", "task-0002", "task-0003" }));
            Assert.That((await store.ListAsync()).Select(r => r.Status), Is.All.EqualTo(TaskRecordStatus.Processing));

            await run.RecordAsync([Completed("task-0001"), Errored("task-0002", "boom"), Completed("task-0003")]);
        }

        var records = await store.ListAsync();
        Assert.That(records.Select(r => r.Status),
            Is.EqualTo(new[] { TaskRecordStatus.Completed, TaskRecordStatus.Errored, TaskRecordStatus.Completed }));
        Assert.That(records.Select(r => r.Attempts), Is.All.EqualTo(1));
        Assert.That(records[1].LastError!.Message, Is.EqualTo("boom"));
    }

    [Test]
    public async Task ASecondRun_SkipsCompleted_AndRunsTheErroredAgain()
    {
        var store = new LocalTaskStore(Folder);
        await using (var first = await ClaimAsync(store, "a:1", false, "a", "b"))
        {
            await first.RecordAsync([Completed("task-0001"), Errored("task-0002", "boom")]);
        }

        await using var second = await ClaimAsync(store, "b:2", false, "a", "b");

        Assert.That(second.SkippedCompleted, Is.EqualTo(1));
        Assert.That(second.Tasks.Select(t => t.TaskId), Is.EqualTo(new[] { "task-0002" }));
    }

    [Test]
    public async Task RerunCompleted_ClaimsTheCompletedToo()
    {
        var store = new LocalTaskStore(Folder);
        await using (var first = await ClaimAsync(store, "a:1", false, "a"))
        {
            await first.RecordAsync([Completed("task-0001")]);
        }

        await using var again = await ClaimAsync(store, "b:2", true, "a");

        Assert.That(again.SkippedCompleted, Is.Zero);
        Assert.That(again.Tasks, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task TasksHeldByALiveWorker_AreLeftToIt()
    {
        var store = new LocalTaskStore(Folder);
        await using var first = await ClaimAsync(store, "other-host:1", false, "a", "b");

        await using var second = await ClaimAsync(store, "b:2", false, "a", "b");

        Assert.That(second.Tasks, Is.Empty);
        Assert.That(second.HeldElsewhere.Select(r => r.WorkerId), Is.All.EqualTo("other-host:1"));
    }

    [Test]
    public async Task TasksWithoutAnOutcome_GoToRerun_WhenTheRunEnds()
    {
        var store = new LocalTaskStore(Folder);
        await using (var run = await ClaimAsync(store, "a:1", false, "a", "b"))
        {
            await run.RecordAsync([Completed("task-0001")]);
        }

        var records = await store.ListAsync();
        Assert.That(records.Select(r => r.Status), Is.EqualTo(new[] { TaskRecordStatus.Completed, TaskRecordStatus.Rerun }));
        Assert.That(records[1].Attempts, Is.Zero);
    }

    [Test]
    public async Task RenewAll_ExtendsEveryHeldLease()
    {
        var store = new LocalTaskStore(Folder);
        var clock = new ManualTimeProvider(T0);
        await using var run = await RunClaims.ClaimAsync(store, new TaskLeases(store, "a:1", Lease, clock), "Demo",
            "Single File Reader", [Definition(1, "a")], false, clock);

        clock.Now = T0 + TimeSpan.FromMinutes(1);
        await run.RenewAllAsync(CancellationToken.None);

        Assert.That((await store.GetAsync("task-0001"))!.LeaseExpiresAt, Is.EqualTo(T0 + TimeSpan.FromMinutes(1) + Lease));
        await run.RecordAsync([Completed("task-0001")]);
        Assert.That((await store.GetAsync("task-0001"))!.Status, Is.EqualTo(TaskRecordStatus.Completed), "recorded over the renewed version");
    }

    [Test]
    public async Task AChangedManifest_UnderTheSameTaskIds_IsRefused()
    {
        var store = new LocalTaskStore(Folder);
        await using (await ClaimAsync(store, "a:1", false, "a"))
        {
        }

        var error = Assert.ThrowsAsync<TaskStoreException>(() => ClaimAsync(store, "a:1", false, "other"));

        Assert.That(error!.Message, Does.Contain("task-0001").And.Contain("manifest changed"));
    }

    [Test]
    public async Task AStoreFailureWhileClaiming_ReleasesWhatWasAlreadyClaimed()
    {
        var store = new FailingClaimStore(new LocalTaskStore(Folder), failingTaskId: "task-0002");
        var clock = new ManualTimeProvider(T0);

        Assert.ThrowsAsync<TaskStoreException>(() => RunClaims.ClaimAsync(store, new TaskLeases(store, "a:1", Lease, clock), "Demo",
            "Single File Reader", [Definition(1, "a"), Definition(2, "b")], false, clock));

        var records = await store.ListAsync();
        Assert.That(records.Select(r => r.Status), Is.EqualTo(new[] { TaskRecordStatus.Rerun, TaskRecordStatus.Created }),
            "the claim that succeeded was given back");
    }

    /// <summary>A store whose claim of one task fails as a full disk would.</summary>
    private sealed class FailingClaimStore(ITaskStore inner, string failingTaskId) : ITaskStore
    {
        public string Location => inner.Location;

        public Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken = default) => inner.GetAsync(taskId, cancellationToken);

        public Task<IReadOnlyList<TaskRecord>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public Task<TaskRecord> CreateIfAbsentAsync(TaskRecord record, CancellationToken cancellationToken = default) =>
            inner.CreateIfAbsentAsync(record, cancellationToken);

        public Task<TaskRecord> UpdateAsync(TaskRecord record, CancellationToken cancellationToken = default) =>
            record.TaskId == failingTaskId && record.Status == TaskRecordStatus.Processing
                ? throw new TaskStoreException("no space left on device")
                : inner.UpdateAsync(record, cancellationToken);
    }
}

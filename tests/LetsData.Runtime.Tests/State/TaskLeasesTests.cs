using System.Diagnostics;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>
/// Claims and leases over the local store: one owner at a time, take-over once the lease went unrenewed for a lease
/// period by the taker's clock, or at once when the owner is a dead local process. Skewed clocks: TaskStoreContract.Leases.
/// </summary>
public class TaskLeasesTests : StateFolderTest
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    [Test]
    public async Task Claim_OfACreatedTask_MakesItProcessing_OwnedAndLeased()
    {
        var store = new LocalTaskStore(Folder);
        var clock = new ManualTimeProvider(T0);
        var created = await store.CreateIfAbsentAsync(NewRecord());

        var claimed = await new TaskLeases(store, "a:1", Lease, clock).TryClaimAsync(created, includeCompleted: false);

        Assert.That(claimed, Is.Not.Null);
        var stored = await store.GetAsync("task-0001");
        Assert.Multiple(() =>
        {
            Assert.That(stored!.Status, Is.EqualTo(TaskRecordStatus.Processing));
            Assert.That(stored.WorkerId, Is.EqualTo("a:1"));
            Assert.That(stored.LeaseExpiresAt, Is.EqualTo(T0 + Lease));
            Assert.That(stored.StartedAt, Is.EqualTo(T0));
            Assert.That(stored.Attempts, Is.Zero, "a claim is not an attempt");
        });
    }

    [Test]
    public async Task TwoWorkers_ClaimingTheSameRead_OnlyOneGetsIt()
    {
        var store = new LocalTaskStore(Folder);
        var clock = new ManualTimeProvider(T0);
        var created = await store.CreateIfAbsentAsync(NewRecord());

        var first = await new TaskLeases(store, "a:1", Lease, clock).TryClaimAsync(created, includeCompleted: false);
        var second = await new TaskLeases(store, "b:2", Lease, clock).TryClaimAsync(created, includeCompleted: false);

        Assert.That(first, Is.Not.Null);
        Assert.That(second, Is.Null, "the second claim was based on a version that is gone");
        Assert.That((await store.GetAsync("task-0001"))!.WorkerId, Is.EqualTo("a:1"));
    }

    [Test]
    public async Task ALiveLease_CannotBeTaken_AnUnrenewedOneCan_AndTheFormerOwnerCannotRenew()
    {
        var store = new LocalTaskStore(Folder);
        var clock = new ManualTimeProvider(T0);
        var a = new TaskLeases(store, "a:1", Lease, clock);
        var b = new TaskLeases(store, "b:2", Lease, clock);
        var heldByA = await a.TryClaimAsync(await store.CreateIfAbsentAsync(NewRecord()), includeCompleted: false);
        Assert.That(await b.TryClaimAsync((await store.GetAsync("task-0001"))!, includeCompleted: false), Is.Null, "lease just claimed");

        clock.Advance(Lease - TimeSpan.FromSeconds(1));
        Assert.That(await b.TryClaimAsync((await store.GetAsync("task-0001"))!, includeCompleted: false), Is.Null, "lease still live");

        clock.Advance(TimeSpan.FromSeconds(1));
        var takenOver = await b.TryClaimAsync((await store.GetAsync("task-0001"))!, includeCompleted: false);
        Assert.That(takenOver, Is.Not.Null, "a lease unrenewed for a lease period is taken over");
        Assert.That(takenOver!.WorkerId, Is.EqualTo("b:2"));
        Assert.That(takenOver.LeaseExpiresAt, Is.EqualTo(T0 + Lease + Lease));

        Assert.That(await a.TryRenewAsync(heldByA!), Is.Null, "the former owner's renewal conflicts");
        Assert.That((await store.GetAsync("task-0001"))!.WorkerId, Is.EqualTo("b:2"));
    }

    [Test]
    public async Task Renew_ByTheOwner_ExtendsTheLease()
    {
        var store = new LocalTaskStore(Folder);
        var clock = new ManualTimeProvider(T0);
        var a = new TaskLeases(store, "a:1", Lease, clock);
        var held = await a.TryClaimAsync(await store.CreateIfAbsentAsync(NewRecord()), includeCompleted: false);

        clock.Now = T0 + TimeSpan.FromMinutes(1);
        var renewed = await a.TryRenewAsync(held!);

        Assert.That(renewed!.LeaseExpiresAt, Is.EqualTo(T0 + TimeSpan.FromMinutes(1) + Lease));
        Assert.That((await store.GetAsync("task-0001"))!.LeaseExpiresAt, Is.EqualTo(renewed.LeaseExpiresAt));
    }

    [Test]
    public async Task ALeaseOfADeadLocalProcess_IsTakenOverAtOnce()
    {
        var store = new LocalTaskStore(Folder);
        var clock = new ManualTimeProvider(T0);
        using var ended = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        await ended.WaitForExitAsync();
        var deadWorker = $"{Environment.MachineName}:{ended.Id}";
        var created = await store.CreateIfAbsentAsync(NewRecord());
        await new TaskLeases(store, deadWorker, Lease, clock).TryClaimAsync(created, includeCompleted: false);

        var taken = await new TaskLeases(store, WorkerIdentity.Current, Lease, clock)
            .TryClaimAsync((await store.GetAsync("task-0001"))!, includeCompleted: false);

        Assert.That(taken, Is.Not.Null, "the owner is gone: no need to wait for the lease to expire");
    }

    [Test]
    public async Task ALeaseOfAnotherMachine_IsNotJudgedDead()
    {
        var store = new LocalTaskStore(Folder);
        var clock = new ManualTimeProvider(T0);
        var created = await store.CreateIfAbsentAsync(NewRecord());
        await new TaskLeases(store, "some-other-host:1", Lease, clock).TryClaimAsync(created, includeCompleted: false);

        var taken = await new TaskLeases(store, WorkerIdentity.Current, Lease, clock)
            .TryClaimAsync((await store.GetAsync("task-0001"))!, includeCompleted: false);

        Assert.That(taken, Is.Null);
    }

    [Test]
    public async Task AProcessingRecordWithoutALease_IsClaimedAtFirstSight()
    {
        var store = new LocalTaskStore(Folder);
        var v1 = await store.CreateIfAbsentAsync(NewRecord());
        var seen = await store.UpdateAsync(v1 with { Status = TaskRecordStatus.Processing, WorkerId = "some-other-host:1" });

        var taken = await new TaskLeases(store, "a:1", Lease, new ManualTimeProvider(T0)).TryClaimAsync(seen, includeCompleted: false);

        Assert.That(taken?.WorkerId, Is.EqualTo("a:1"), "no lease to wait for");
    }

    [TestCase(TaskRecordStatus.Created, false, true)]
    [TestCase(TaskRecordStatus.Errored, false, true)]
    [TestCase(TaskRecordStatus.Rerun, false, true)]
    [TestCase(TaskRecordStatus.Completed, false, false)]
    [TestCase(TaskRecordStatus.Completed, true, true)]
    public async Task WhatCanBeClaimed(TaskRecordStatus status, bool includeCompleted, bool claimable)
    {
        var store = new LocalTaskStore(Folder);
        var v1 = await store.CreateIfAbsentAsync(NewRecord());
        var seen = await store.UpdateAsync(v1 with { Status = status });

        var claimed = await new TaskLeases(store, "a:1", Lease, new ManualTimeProvider(T0)).TryClaimAsync(seen, includeCompleted);

        Assert.That(claimed is not null, Is.EqualTo(claimable));
        Assert.That((await store.GetAsync("task-0001"))!.Status, Is.EqualTo(claimable ? TaskRecordStatus.Processing : status));
    }
}

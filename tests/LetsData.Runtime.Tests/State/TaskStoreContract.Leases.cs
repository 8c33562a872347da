using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>
/// Take-overs judged without trusting wall clocks, over every store: each worker has a clock of its own, wall clocks
/// hours apart in both directions, and a lease changes hands only when the taker has seen its counter unchanged for a
/// lease period by the taker's own monotonic clock. Time passes only through <see cref="ManualTimeProvider.Advance"/>.
/// </summary>
public abstract partial class TaskStoreContract
{
    private static readonly TimeSpan LeasePeriod = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Skew = TimeSpan.FromHours(6);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Takes the lease counter out of the stored record of <paramref name="taskId"/>, in the store's own format, leaving
    /// the record as a release before <see cref="TaskRecord.LeaseCounter"/> wrote it.
    /// </summary>
    protected abstract Task RemoveStoredLeaseCounterAsync(string dataset, string taskId);

    /// <summary>Creates (version 0) or updates the record as a worker of a release before the lease counter writes it.</summary>
    private async Task WriteAsTheReleaseBeforeTheCounterAsync(TaskRecord record)
    {
        var store = OpenStore();
        await (record.Version == 0 ? store.CreateIfAbsentAsync(record) : store.UpdateAsync(record));
        await RemoveStoredLeaseCounterAsync(Dataset, record.TaskId);
    }

    private TaskLeases Worker(string workerId, ManualTimeProvider clock) => new(OpenStore(), workerId, LeasePeriod, clock);

    private async Task<TaskRecord> StoredTaskAsync() => (await OpenStore().GetAsync("task-0001"))!;

    /// <summary>One look of <paramref name="taker"/> at the task as stored now, claiming it if it may.</summary>
    private async Task<TaskRecord?> TryTakeAsync(TaskLeases taker) => await taker.TryClaimAsync(await StoredTaskAsync(), includeCompleted: false);

    private static void Advance(TimeSpan time, params ManualTimeProvider[] clocks)
    {
        foreach (var clock in clocks)
        {
            clock.Advance(time);
        }
    }

    [Test]
    public async Task ALiveOwnerThatRenews_IsNeverTakenOver_ByTakersWhoseWallClocksAreHoursAheadOrBehind()
    {
        var ownerClock = new ManualTimeProvider(T0);
        var aheadClock = new ManualTimeProvider(T0 + Skew);
        var behindClock = new ManualTimeProvider(T0 - Skew);
        var owner = Worker("owner:1", ownerClock);
        var takers = new[] { Worker("ahead:2", aheadClock), Worker("behind:3", behindClock) };
        var held = await owner.TryClaimAsync(await OpenStore().CreateIfAbsentAsync(NewRecord()), includeCompleted: false);

        // Renewals a third of a lease apart (the ledger's pace) for four lease periods by every clock.
        for (var renewal = 1; renewal <= 12; renewal++)
        {
            foreach (var taker in takers)
            {
                Assert.That(await TryTakeAsync(taker), Is.Null, $"{taker.WorkerId} took the task from a live owner before renewal {renewal}");
            }

            Advance(LeasePeriod / 3, ownerClock, aheadClock, behindClock);
            held = await owner.TryRenewAsync(held!);
            Assert.That(held, Is.Not.Null, $"renewal {renewal} of the owner failed");
        }

        var stored = await StoredTaskAsync();
        Assert.That(stored.WorkerId, Is.EqualTo("owner:1"));
        Assert.That(stored.LeaseCounter, Is.EqualTo(13), "the claim and twelve renewals");
    }

    [TestCase(+6)]
    [TestCase(-6)]
    public async Task AnOwnerThatStopsRenewing_IsTakenOver_ALeasePeriodAfterTheTakerFirstSawItsLastCounter_ByTheTakersClock(int takerHours)
    {
        var ownerClock = new ManualTimeProvider(T0);
        var takerClock = new ManualTimeProvider(T0 + TimeSpan.FromHours(takerHours));
        var owner = Worker("owner:1", ownerClock);
        var taker = Worker("taker:2", takerClock);
        var held = await owner.TryClaimAsync(await OpenStore().CreateIfAbsentAsync(NewRecord()), includeCompleted: false);
        Assert.That(await TryTakeAsync(taker), Is.Null, "a lease seen for the first time");

        Advance(LeasePeriod / 3, ownerClock, takerClock);
        held = await owner.TryRenewAsync(held!);
        // The owner stops here. The taker looks next half a lease later: its wait starts then, not at the renewal.
        takerClock.Advance(LeasePeriod / 2);
        Assert.That(await TryTakeAsync(taker), Is.Null, "the renewed counter seen for the first time");
        takerClock.Advance(LeasePeriod - Second);
        takerClock.Now += TimeSpan.FromDays(1);
        Assert.That(await TryTakeAsync(taker), Is.Null, "a second short of a lease period by the taker's clock, its wall clock a day on");

        takerClock.Advance(Second);
        var taken = await TryTakeAsync(taker);

        Assert.That(taken, Is.Not.Null, "the counter stood still for a lease period by the taker's clock");
        Assert.That(taken!.WorkerId, Is.EqualTo("taker:2"));
        Assert.That(taken.LeaseCounter, Is.EqualTo(3), "claim, renewal, take-over");
        Assert.That(await owner.TryRenewAsync(held!), Is.Null, "the former owner finds out at its next conditional write");
        Assert.That((await StoredTaskAsync()).WorkerId, Is.EqualTo("taker:2"));
    }

    [Test]
    public async Task ATakerThatRestarts_RemembersNothing_AndWaitsAWholeLeasePeriodAgain()
    {
        await Worker("owner:1", new ManualTimeProvider(T0)).TryClaimAsync(await OpenStore().CreateIfAbsentAsync(NewRecord()), includeCompleted: false);
        var firstLife = new ManualTimeProvider(T0 + Skew);
        var taker = Worker("taker:2", firstLife);
        Assert.That(await TryTakeAsync(taker), Is.Null);
        firstLife.Advance(LeasePeriod - Second);
        Assert.That(await TryTakeAsync(taker), Is.Null);

        // A new process: its monotonic clock starts from zero and it has seen nothing.
        var secondLife = new ManualTimeProvider(firstLife.Now + Second);
        var restarted = Worker("taker:3", secondLife);
        Assert.That(await TryTakeAsync(restarted), Is.Null, "the lease is new to the restarted taker, however old it is");
        secondLife.Advance(LeasePeriod - Second);
        Assert.That(await TryTakeAsync(restarted), Is.Null, "a second short of a lease period since the restarted taker first saw it");
        secondLife.Advance(Second);

        Assert.That((await TryTakeAsync(restarted))?.WorkerId, Is.EqualTo("taker:3"));
    }

    [Test]
    public async Task ARecordWrittenBeforeTheLeaseCounter_ReadsAsCounter0_AndIsTakenOverOnlyALeasePeriodAfterItIsFirstSeen()
    {
        // Its lease ran out an hour before the taker's clock says now: under a wall-clock rule it would be taken at once.
        await WriteAsTheReleaseBeforeTheCounterAsync(NewRecord() with
        {
            Status = TaskRecordStatus.Processing, WorkerId = "old-release:7", StartedAt = T0.AddHours(-2), LeaseExpiresAt = T0.AddHours(-1),
        });
        var old = await StoredTaskAsync();
        Assert.That((old.Status, old.WorkerId, old.LeaseCounter), Is.EqualTo((TaskRecordStatus.Processing, "old-release:7", 0L)));

        var clock = new ManualTimeProvider(T0);
        var taker = Worker("taker:2", clock);
        Assert.That(await TryTakeAsync(taker), Is.Null, "first seen");
        clock.Advance(LeasePeriod - Second);
        Assert.That(await TryTakeAsync(taker), Is.Null, "a second short of a lease period");
        clock.Advance(Second);
        var taken = await TryTakeAsync(taker);

        Assert.That(taken?.WorkerId, Is.EqualTo("taker:2"));
        Assert.That((await StoredTaskAsync()).LeaseCounter, Is.EqualTo(1), "the counter goes on from 0");
    }

    [Test]
    public async Task AnOwnerOfARelease_ThatRenewsWithoutMovingTheCounter_IsNotTakenOverWhileItRenews()
    {
        // During a rolling upgrade an owner of the release before the counter renews by rewriting the record without
        // one: the counter stays 0, only the version (and its own expiry) moves.
        await WriteAsTheReleaseBeforeTheCounterAsync(NewRecord() with
        {
            Status = TaskRecordStatus.Processing, WorkerId = "old-release:7", StartedAt = T0, LeaseExpiresAt = T0 + LeasePeriod,
        });
        var takerClock = new ManualTimeProvider(T0 + Skew);
        var taker = Worker("taker:2", takerClock);

        for (var renewal = 1; renewal <= 12; renewal++)
        {
            Assert.That(await TryTakeAsync(taker), Is.Null, $"taken from a live owner of the older release before its renewal {renewal}");
            takerClock.Advance(LeasePeriod / 3);
            var stored = await StoredTaskAsync();
            await WriteAsTheReleaseBeforeTheCounterAsync(stored with { LeaseExpiresAt = stored.LeaseExpiresAt + LeasePeriod / 3 });
        }

        Assert.That((await StoredTaskAsync()).WorkerId, Is.EqualTo("old-release:7"));
    }
}

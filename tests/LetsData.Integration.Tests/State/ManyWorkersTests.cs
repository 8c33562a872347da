using System.Diagnostics;
using System.Globalization;
using LetsData.EndToEnd.Tests.Support;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Integration.Tests.Support;

namespace LetsData.Integration.Tests.State;

/// <summary>
/// Several published workers sharing one DynamoDB task table (issue 5), one of them stopped mid-task (killed, or frozen
/// and killed once its task was taken): every task completes exactly once, a task changes hands only when its holder's
/// lease ran out, it ended, or it died, the stopped worker's task is taken over from its checkpoint, and the output is
/// the one a single worker writes.
/// </summary>
[Platform(Exclude = "Win", Reason = "SIGKILL and its exit code")]
public sealed class ManyWorkersTests : WorkerTest
{
    private const int Workers = 3;
    private const int Trios = 6;
    private const int UrlsPerTrio = 600;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HoldWait = TimeSpan.FromSeconds(60);

    [SetUp]
    public void Publish() => PublishedWorker.EnsurePublished();

    /// <summary>How the worker that stops mid-task stops.</summary>
    public enum Stop
    {
        /// <summary>SIGKILL while it holds a task: a dead process of this machine, whose task is free at once.</summary>
        Killed,

        /// <summary>SIGSTOP while it holds a task, SIGKILL once another worker took it: alive but silent, as a worker of
        /// another machine that hangs or loses the network, so its task is free only when its lease runs out.</summary>
        FrozenThenKilled,

        /// <summary>SIGSTOP while it holds a task, SIGCONT once another worker took it: it wakes up holding nothing and
        /// must stop that task without recording an outcome, while the new holder goes on.</summary>
        FrozenThenResumed,
    }

    [TestCase(Stop.Killed)]
    [TestCase(Stop.FrozenThenKilled)]
    [TestCase(Stop.FrozenThenResumed)]
    [Platform(Include = "Linux", Reason = "SIGSTOP's number is Linux's")]
    public async Task ThreeWorkersOneStopsMidTask_EveryTaskCompletesOnce_OwnersChangeOnlyWhenFree_OutputAsOneWorkerWritesIt(Stop stop)
    {
        var input = CrawlTrios.Write(Work.InputPath, Trios, UrlsPerTrio, seed: 77);
        var reference = CommonCrawlRun.Create(Work, "reference", input);
        var alone = reference.Run("--no-checkpoints");
        Assert.That(alone.ExitCode, Is.Zero, alone.ToString());
        TestContext.Progress.WriteLine($"many workers: one worker alone (no checkpoints) {alone.Elapsed.TotalSeconds:F1} s");

        var table = "letsdata-tasks-" + Guid.NewGuid().ToString("N")[..12];
        var shared = CommonCrawlRun.Create(Work, "shared", input, "--task-table", table);
        using var client = DynamoDBTestTables.NewClient();
        var pids = new int[Workers];
        DateTimeOffset? stoppedAt = null;
        ProcessResult[] results;
        var watch = new LeaseWatch(client, table, PollInterval);
        await using (watch)
        {
            results = await Task.WhenAll(Enumerable.Range(0, Workers).Select(i => Task.Run(() => shared.Run(worker =>
            {
                pids[i] = worker.Id;
                if (i == 0)
                {
                    stoppedAt = StopMidTask(worker, stop, watch);
                }
            }, "--lease-seconds", "4", "--checkpoint-records", "25", "--concurrency", "1"))));
        }

        var seen = watch.Seen;
        var victim = WorkerId(pids[0]);
        var survivors = pids.Skip(1).Select(WorkerId).ToList();
        try
        {
            Assert.That(stoppedAt, Is.Not.Null, $"worker {victim} was stopped while it held a task: {results[0]}");
            if (stop == Stop.FrozenThenResumed)
            {
                Assert.That(results[0].ExitCode, Is.EqualTo(1), results[0].ToString());
                // Whichever noticed first, the lease renewal or the next checkpoint, the task stopped without an outcome.
                Assert.That(results[0].Stdout, Does.Contain($"this worker ({victim}) no longer holds it").Or.Contain("another worker took it over"),
                    results[0].ToString());
            }

            foreach (var survivor in results.Skip(1))
            {
                Assert.That(survivor.ExitCode, Is.Zero, survivor.ToString());
                Assert.That(survivor.Stdout + survivor.Stderr, Does.Not.Contain("no longer holds").And.Not.Contain("took it over")
                    .And.Not.Contain("not recorded").And.Not.Contain("started over from its beginning"), $"a live worker lost a task or a checkpoint: {survivor}");
            }

            var final = seen.GroupBy(v => v.TaskId).Select(g => g.MaxBy(v => v.Version)!).OrderBy(v => v.TaskId, StringComparer.Ordinal).ToList();
            Assert.That(final.Select(v => v.TaskId), Is.EqualTo(Enumerable.Range(0, Trios).Select(CrawlTrios.TaskId)));
            Assert.That(final.Select(v => v.Status), Is.All.EqualTo("COMPLETED"));
            Assert.That(final.Select(v => v.Attempts), Is.All.EqualTo(1), "each task ended once (a second completion would count a second attempt)");

            var takenOver = AssertOwnersChangeOnlyWhenFree(seen, victim, diedAt: stop == Stop.FrozenThenResumed ? null : stoppedAt);
            Assert.That(takenOver, Is.Not.Empty, $"the task {victim} held was taken over by another worker");
            // The stopped worker may have completed a task before it was stopped (tasks are short); a task taken from it
            // is completed by the worker that took it over, never by the stopped one.
            var completedBy = final.ToDictionary(v => v.TaskId, v => v.WorkerId);
            Assert.That(takenOver.Select(t => completedBy[t.Before.TaskId]), Is.EqualTo(takenOver.Select(t => t.Claim.WorkerId)),
                $"a task taken from {victim} is completed by the worker that took it: {string.Join("; ", final)}");
            if (stop != Stop.Killed)
            {
                Assert.That(takenOver.Select(t => t.LeaseRanOut), Is.All.True, "a live worker's task is taken over only when its lease ran out");
            }

            TestContext.Progress.WriteLine($"many workers ({stop}): {victim} stopped at {stoppedAt:HH:mm:ss.fff}; taken over: {string.Join("; ", takenOver)}; " +
                $"{watch.Scans} scans saw {seen.Count} versions; workers ended after " +
                string.Join(", ", results.Select(r => $"{r.Elapsed.TotalSeconds:F1} s (exit {r.ExitCode})")));
            shared.AssertSameOutcome(reference);
        }
        finally
        {
            await client.DeleteTableAsync(table);
        }
    }

    /// <summary>Stops the worker as <paramref name="stop"/> says once it holds a task with a checkpoint.</summary>
    /// <returns>When it was killed (or woken), or null when it ended on its own first.</returns>
    private static DateTimeOffset? StopMidTask(Process worker, Stop stop, LeaseWatch watch)
    {
        var workerId = WorkerId(worker.Id);
        if (stop == Stop.Killed)
        {
            return KillSwitch.KillWhen(worker, () => watch.HoldsWithCheckpoint(workerId), TimeSpan.FromMilliseconds(200), HoldWait);
        }

        if (!KillSwitch.WaitFor(worker, () => watch.HoldsWithCheckpoint(workerId), HoldWait))
        {
            return null;
        }

        Posix.Signal(worker.Id, Posix.SigStopLinux);
        KillSwitch.WaitFor(worker, () => watch.TakenFrom(workerId), HoldWait);
        if (stop == Stop.FrozenThenKilled)
        {
            return KillSwitch.Kill(worker);
        }

        var wokenAt = DateTimeOffset.UtcNow;
        Posix.Signal(worker.Id, Posix.SigContLinux);
        return wokenAt;
    }

    private static string WorkerId(int pid) => $"{Environment.MachineName}:{pid.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// Asserts from the versions seen of each task that whenever another worker claimed it, the version before the
    /// claim was free: not PROCESSING, or its lease had run out by the claim, or its holder was the stopped worker and
    /// the claim came after it died (<paramref name="diedAt"/>; null: it did not die); and that a worker never got back a
    /// task it lost. Versions between two scans go unseen, so a claim is checked against the last version seen before it.
    /// </summary>
    /// <returns>The take-overs from the stopped worker.</returns>
    private static List<TakeOver> AssertOwnersChangeOnlyWhenFree(IReadOnlyList<TaskVersion> seen, string victim, DateTimeOffset? diedAt)
    {
        var takenOver = new List<TakeOver>();
        foreach (var versions in seen.GroupBy(v => v.TaskId).Select(g => g.OrderBy(v => v.Version).ToList()))
        {
            var formerOwners = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 1; i < versions.Count; i++)
            {
                var (before, claim) = (versions[i - 1], versions[i]);
                if (claim.WorkerId is null || claim.WorkerId == before.WorkerId)
                {
                    continue;
                }

                var leaseRanOut = before.LeaseExpiresAt <= claim.StartedAt;
                var holderDied = before.WorkerId == victim && claim.StartedAt >= diedAt;
                Assert.That(before.Status != "PROCESSING" || leaseRanOut || holderDied, Is.True,
                    $"claimed while another worker held it: {before} -> {claim}");
                Assert.That(formerOwners, Does.Not.Contain(claim.WorkerId), $"a worker got back a task it had lost: {claim}");
                if (before.WorkerId is { } owner)
                {
                    formerOwners.Add(owner);
                }

                if (before.WorkerId == victim)
                {
                    // The stopped worker may have ended the task it was seen checkpointing and taken the next one just before
                    // it stopped: a task with no checkpoint yet has none to keep. And when a slow scan saw the new holder
                    // only once it had completed the task, the completion dropped the checkpoint: nothing to compare.
                    if (before.Checkpoint is { } kept && claim.Status == "PROCESSING")
                    {
                        Assert.That(claim.Checkpoint, Is.Not.Null.And.GreaterThanOrEqualTo(kept), $"the take-over kept the checkpoint: {before} -> {claim}");
                    }
                    takenOver.Add(new TakeOver(before, claim, leaseRanOut));
                }
            }
        }

        return takenOver;
    }

    private sealed record TakeOver(TaskVersion Before, TaskVersion Claim, bool LeaseRanOut)
    {
        public override string ToString() =>
            $"{Before} -> {Claim} ({(LeaseRanOut ? "after the lease ran out" : "before the lease ran out: its holder was dead")}, " +
            $"versions {(Claim.Version == Before.Version + 1 ? "consecutive" : "not consecutive")})";
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// The supervisor and its data-task processes under SIGKILL: a data-task process killed mid-task has its task retried
/// from the last checkpoint by a new process, and the run ends with the output of an undisturbed run; a supervisor
/// killed on its own leaves no data-task process behind (they end when their control channel closes).
/// </summary>
[Platform(Include = "Linux", Reason = "/proc/<pid>/task/*/children and SIGKILL")]
public sealed class DataTaskProcessCrashTests : WorkerTest
{
    private const int Trios = 4;
    private const int UrlsPerTrio = 1500;
    private const int Seed = 20261207;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);

    [Test]
    public void AKilledDataTaskProcess_HasItsTaskRetriedFromItsCheckpoint_AndTheRunEndsWithTheOutputOfAnUndisturbedRun()
    {
        var input = CrawlTrios.Write(Work.InputPath, Trios, UrlsPerTrio, Seed);
        var reference = CommonCrawlRun.Create(Work, "reference", input);
        var crashed = CommonCrawlRun.Create(Work, "crashed", input);
        var undisturbed = reference.Run("--no-checkpoints");
        Assert.That(undisturbed.ExitCode, Is.Zero, undisturbed.ToString());

        var killed = new List<int>();
        var run = crashed.Run(worker =>
        {
            // Two kills, each of a process that holds a task with a checkpoint: its task must go on from there. Which
            // process holds which task is not known here, so a kill waits until every live process holds a task and
            // every task being processed has a checkpoint.
            for (var kill = 0; kill < 2; kill++)
            {
                var child = 0;
                if (!KillSwitch.WaitFor(worker, () =>
                    {
                        var processes = DataTaskProcesses(worker.Id).Except(killed).ToList();
                        var (processing, checkpointed) = TasksInProgress(crashed.StateFolder);
                        child = processes.FirstOrDefault();
                        return child > 0 && processing >= processes.Count && checkpointed == processing;
                    }, Wait))
                {
                    return;
                }

                Posix.Signal(child, 9);
                killed.Add(child);
                Thread.Sleep(200);
            }
        }, "--checkpoint-records", "25", "--concurrency", "2");

        Assert.That(killed, Has.Count.EqualTo(2), $"both kills landed while the run was going: {run}");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Stderr, Does.Contain("its data-task process died (killed by signal 9 (SIGKILL))").And.Contain("retried from checkpoint"), run.ToString());
        var tasks = crashed.TasksList();
        Assert.That(tasks.Select(t => (string)t["status"]!), Has.All.EqualTo("COMPLETED"), run.ToString());
        crashed.AssertSameOutcome(reference);
    }

    [Test]
    public void AKilledSupervisor_LeavesNoDataTaskProcessBehind_AndTheNextRunEndsTheWork()
    {
        var input = CrawlTrios.Write(Work.InputPath, Trios, UrlsPerTrio, Seed);
        var reference = CommonCrawlRun.Create(Work, "reference", input);
        var crashed = CommonCrawlRun.Create(Work, "crashed", input);
        Assert.That(reference.Run("--no-checkpoints").ExitCode, Is.Zero);

        var orphans = new List<int>();
        crashed.Run(worker =>
        {
            if (!KillSwitch.WaitFor(worker, () => TasksInProgress(crashed.StateFolder).Checkpointed > 0, Wait))
            {
                return;
            }

            orphans.AddRange(DataTaskProcesses(worker.Id));
            // The supervisor alone: its data-task processes are not signalled.
            Posix.Signal(worker.Id, 9);
        }, "--checkpoint-records", "25", "--concurrency", "2");

        Assert.That(orphans, Is.Not.Empty, "the supervisor had data-task processes when it was killed");
        var waited = Stopwatch.StartNew();
        while (orphans.Any(IsAlive) && waited.Elapsed < Wait)
        {
            Thread.Sleep(20);
        }

        Assert.That(orphans.Where(IsAlive), Is.Empty, "data-task processes end when their supervisor is gone");
        var final = crashed.Run();
        Assert.That(final.ExitCode, Is.Zero, final.ToString());
        crashed.AssertSameOutcome(reference);
    }

    // The tasks being processed, and how many of them have a checkpoint.
    private static (int Processing, int Checkpointed) TasksInProgress(string state)
    {
        var folder = Path.Combine(state, "tasks");
        if (!Directory.Exists(folder))
        {
            return (0, 0);
        }

        var (processing, checkpointed) = (0, 0);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            try
            {
                var task = JsonNode.Parse(File.ReadAllText(file))!;
                if ((string?)task["status"] == "PROCESSING")
                {
                    processing++;
                    checkpointed += task["checkpoint"] is not null ? 1 : 0;
                }
            }
            catch (IOException)
            {
                // Replaced while read: the next look sees it.
            }
        }

        return (processing, checkpointed);
    }

    // The worker's child processes: its data-task processes.
    private static List<int> DataTaskProcesses(int supervisor)
    {
        var children = new List<int>();
        var tasks = $"/proc/{supervisor.ToString(CultureInfo.InvariantCulture)}/task";
        try
        {
            foreach (var thread in Directory.EnumerateDirectories(tasks))
            {
                var text = File.ReadAllText(Path.Combine(thread, "children"));
                children.AddRange(text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => int.Parse(p, CultureInfo.InvariantCulture)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The supervisor ended meanwhile.
        }

        return children;
    }

    private static bool IsAlive(int pid) =>
        File.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat")
        && !File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat").Contains(") Z ", StringComparison.Ordinal);
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// Crashes of <c>letsdata run</c> with the local task store (issue 5): a worker killed with SIGKILL over and over,
/// resumed each time from its tasks' checkpoints, must end with exactly the output of an undisturbed run; a task state
/// file a crash left unreadable stops the run and is named.
/// </summary>
[Platform(Exclude = "Win", Reason = "SIGKILL and its exit code")]
public sealed class CrashRecoveryTests : WorkerTest
{
    private const int Trios = 8;
    private const int UrlsPerTrio = 1200;
    private const int KillsWanted = 20;
    private const int MaxCrashRuns = 40;
    private const int Seed = 20261127;
    private static readonly TimeSpan MaxDelayAfterClaim = TimeSpan.FromMilliseconds(600);
    private static readonly TimeSpan ClaimWait = TimeSpan.FromSeconds(30);

    /// <summary>The warning of a run whose task could not continue its checkpoint's outputs.</summary>
    private const string StartedOver = "started over from its beginning";

    [Test]
    public void KilledOverAndOver_ResumesFromCheckpoints_AndEndsWithTheOutputOfAnUndisturbedRun()
    {
        var clock = Stopwatch.StartNew();
        var input = CrawlTrios.Write(Work.InputPath, Trios, UrlsPerTrio, Seed);
        TestContext.Progress.WriteLine($"crash test: {Trios} trios of {input.Trios.Sum(t => t.Urls.Count)} URLs written in {clock.Elapsed.TotalSeconds:F1} s");
        var reference = CommonCrawlRun.Create(Work, "reference", input);
        var crashed = CommonCrawlRun.Create(Work, "crashed", input);
        var state = crashed.StateFolder;

        var undisturbed = reference.Run("--no-checkpoints");
        Assert.That(undisturbed.ExitCode, Is.Zero, undisturbed.ToString());
        TestContext.Progress.WriteLine($"crash test: undisturbed run (no checkpoints) {undisturbed.Elapsed.TotalSeconds:F1} s");
        for (var i = 0; i < Trios; i++)
        {
            var taskId = CrawlTrios.TaskId(i);
            Assert.That(Lines(Path.Combine(reference.Documents, CrawlTrios.OutputName(i) + ".jsonl")), Is.EqualTo(CrawlTrios.Documents(input.Trios[i])), taskId);
            Assert.That(Lines(Path.Combine(reference.Errors, CrawlTrios.OutputName(i) + ".jsonl")), Is.EqualTo(CrawlTrios.Errors(input.Trios[i])).And.GreaterThan(0), taskId);
        }

        var history = new ResumeHistory();
        var random = new Random(Seed);
        var kills = 0;
        for (var runs = 0; kills < KillsWanted && runs < MaxCrashRuns; runs++)
        {
            var delay = TimeSpan.FromMilliseconds(random.Next((int)MaxDelayAfterClaim.TotalMilliseconds));
            var killed = false;
            var run = crashed.Run(worker => killed = KillSwitch.KillWhen(worker, () => HoldsATask(state, worker.Id), delay, ClaimWait) is not null,
                "--checkpoint-records", "25", "--concurrency", "2");
            Assert.That(run.Stdout + run.Stderr, Does.Not.Contain(StartedOver), $"a checkpoint could not be resumed from: {run}");
            if (!killed)
            {
                // The run ended before the kill: the dataset is too small for the kills wanted (asserted below).
                Assert.That(run.ExitCode, Is.Zero, run.ToString());
                break;
            }

            kills++;
            var tasks = StateFiles(state);
            history.Add(tasks);
            TestContext.Progress.WriteLine($"crash test: kill {kills} at {run.Elapsed.TotalSeconds:F2} s ({delay.TotalMilliseconds:F0} ms after a claim): " +
                string.Join(' ', tasks.Select(ResumeHistory.Describe)));
        }

        Assert.That(kills, Is.GreaterThanOrEqualTo(KillsWanted), "kills that landed while the run was going (the dataset ran out first)");
        var final = crashed.Run();
        TestContext.Progress.WriteLine($"crash test: final run {final.Elapsed.TotalSeconds:F1} s; {kills} kills, {history.Resumed.Count} task(s) seen resumed " +
            $"by another worker ({string.Join(", ", history.Resumed)}); test {clock.Elapsed.TotalSeconds:F1} s");

        Assert.That(final.ExitCode, Is.Zero, final.ToString());
        Assert.That(final.Stdout + final.Stderr, Does.Not.Contain(StartedOver), $"a checkpoint could not be resumed from: {final}");
        Assert.That(history.LeftWithCheckpoints, Is.GreaterThan(0), "kills left PROCESSING tasks with a checkpoint behind");
        Assert.That(history.Resumed, Is.Not.Empty, "a task's checkpoints went on under a later worker (numbers continue when it resumes, restart when it does not)");
        var tasksAfter = crashed.TasksList();
        Assert.That(tasksAfter.Select(t => (string)t["status"]!).ToList(), Has.Count.EqualTo(Trios).And.All.EqualTo("COMPLETED"));
        Assert.That(tasksAfter.Select(t => (int)t["attempts"]!), Is.All.EqualTo(1), "a killed attempt has no outcome: it is no attempt");
        crashed.AssertSameOutcome(reference);
    }

    [Test]
    public void ATruncatedTaskStateFile_StopsTheRunWithExit2_AndNamesTheFile()
    {
        var run = CommonCrawlRun.Create(Work, "whirlwind", null);
        var first = run.Run();
        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        var stateFile = Path.Combine(run.StateFolder, "tasks", "task-0001.json");
        var bytes = File.ReadAllBytes(stateFile);
        File.WriteAllBytes(stateFile, bytes[..(bytes.Length / 2)]);

        var second = run.Run();

        Assert.That(second.ExitCode, Is.EqualTo(2), second.ToString());
        Assert.That(second.Stderr, Does.Contain($"task state file {stateFile} is unreadable (truncated or corrupted)"), second.ToString());
        Assert.That(File.ReadAllBytes(stateFile), Is.EqualTo(bytes[..(bytes.Length / 2)]), "the damaged file is left for inspection");
    }

    private static int Lines(string path) => File.ReadLines(path).Count(l => l.Length > 0);

    /// <summary>The task records as the state folder's files hold them (each replaced whole by a rename: never half read).</summary>
    private static IReadOnlyList<JsonNode> StateFiles(string state)
    {
        var tasks = Path.Combine(state, "tasks");
        return Directory.Exists(tasks)
            ? Directory.EnumerateFiles(tasks, "*.json").Order(StringComparer.Ordinal).Select(f => JsonNode.Parse(File.ReadAllText(f))!).ToList()
            : [];
    }

    /// <summary>Whether the worker of process <paramref name="pid"/> holds a task.</summary>
    private static bool HoldsATask(string state, int pid)
    {
        var workerId = $"{Environment.MachineName}:{pid.ToString(CultureInfo.InvariantCulture)}";
        return StateFiles(state).Any(t => (string?)t["workerId"] == workerId && (string?)t["status"] == "PROCESSING");
    }

    /// <summary>What the task state files showed after each kill.</summary>
    private sealed class ResumeHistory
    {
        private readonly Dictionary<string, (string Worker, long Checkpoint)> _lastSeen = new(StringComparer.Ordinal);

        /// <summary>Tasks whose checkpoint numbers went on under a later worker: it resumed from the earlier one's checkpoint.</summary>
        public SortedSet<string> Resumed { get; } = new(StringComparer.Ordinal);

        /// <summary>Tasks seen PROCESSING with a checkpoint after a kill, over all kills.</summary>
        public int LeftWithCheckpoints { get; private set; }

        public void Add(IReadOnlyList<JsonNode> tasks)
        {
            foreach (var task in tasks)
            {
                var taskId = (string)task["taskId"]!;
                if ((string?)task["status"] != "PROCESSING" || task["checkpoint"] is not { } checkpoint)
                {
                    continue;
                }

                LeftWithCheckpoints++;
                var seen = ((string)task["workerId"]!, (long)checkpoint["number"]!);
                if (_lastSeen.TryGetValue(taskId, out var before) && before.Worker != seen.Item1 && seen.Item2 > before.Checkpoint)
                {
                    Resumed.Add(taskId);
                }

                _lastSeen[taskId] = seen;
            }
        }

        /// <summary><c>01:PROCESSING#12</c>: the task's number, status and checkpoint number.</summary>
        public static string Describe(JsonNode task) =>
            $"{((string)task["taskId"]!)[^2..]}:{task["status"]}" + (task["checkpoint"]?["number"] is { } number ? $"#{number}" : "");
    }
}

using System.Diagnostics;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// How a run starts: the first data-task process is spawned before the dataset is read and gets its policy once it
/// is; <c>--timings</c> shows each step of its start, and a run that stops before its tasks leaves no process behind.
/// </summary>
[Platform(Include = "Linux", Reason = "confined data-task processes (Landlock, seccomp)")]
public sealed class StartupTests : WorkerTest
{
    [Test]
    public void Timings_ShowEachStepOfTheFirstDataTaskProcessStart()
    {
        var input = Work.CopyInput(Repo.WarcFile, "good.warc.gz");
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["manifestFile"]!["fileContents"] = input;

        var result = Work.Worker("run", "--dataset", Work.WriteDataset(dataset), "--plugins", Repo.PluginsDirectory, "--timings");

        Assert.That(result.ExitCode, Is.Zero, result.ToString());
        const string Prefix = "timings:   first data-task process: ";
        var steps = result.Stderr.Split('\n')
            .Where(line => line.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(line => line[Prefix.Length..line.LastIndexOf("  ", StringComparison.Ordinal)].Trim())
            .ToList();
        Assert.That(steps, Is.EqualTo(new[]
        {
            "runtime start, stage 1 (confinement)", "stage 1 waiting for its policy", "stage 1 reading its policy",
            "runtime start, data-task process", "stage 1's report and the policy read", "seccomp filter",
            "logging", "waiting for the start message", "dataset, plugin policy scan, plugin load", "inputs opened", "smoke run", "output sinks",
        }), result.Stderr);
        Assert.That(result.Stderr, Does.Contain("timings: first data-task process given its policy (it was spawned at the start)"));
        Assert.That(File.ReadAllText(Path.Combine(Work.DocumentsPath, "task-0001.good.warc.jsonl")), Is.Not.Empty);
    }

    [Test]
    public void ARunWithAnUnusableDataset_LeavesNoEarlyStartedProcessBehind()
    {
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["artifactFile"] = "NoSuchPlugin.dll";

        var result = Work.Worker("run", "--dataset", Work.WriteDataset(dataset), "--plugins", Repo.PluginsDirectory);

        Assert.That(result.ExitCode, Is.EqualTo(2), result.ToString());
        // The early process ran in the workspace: once the worker is gone, nothing may still run there.
        var deadline = Stopwatch.StartNew();
        List<int> left;
        while ((left = ProcessesIn(Work.Directory)).Count > 0 && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(100);
        }

        Assert.That(left, Is.Empty, "processes still running in the workspace: " + string.Join(", ", left));
    }

    private static List<int> ProcessesIn(string directory)
    {
        var found = new List<int>();
        foreach (var entry in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out var pid))
            {
                continue;
            }

            try
            {
                if (new DirectoryInfo(Path.Combine(entry, "cwd")).LinkTarget is { } cwd && cwd.TrimEnd('/') == directory.TrimEnd('/'))
                {
                    found.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }

        return found;
    }
}

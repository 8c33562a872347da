using System.Diagnostics;
using LetsData.EndToEnd.Tests.Support;

namespace LetsData.EndToEnd.Tests;

/// <summary>
/// Ctrl+C and SIGTERM end a run even when a task is stuck: here a task whose input is a named pipe nobody writes to,
/// so the worker's read blocks where no cancellation reaches it (as a plugin stuck in a loop would).
/// </summary>
[Platform(Exclude = "Win", Reason = "POSIX signals and named pipes")]
public sealed class StopSignalTests : WorkerTest
{
    private static readonly TimeSpan FirstTaskWait = TimeSpan.FromSeconds(30);

    [TestCase(Posix.SigInt, TestName = "{m}(SIGINT)")]
    [TestCase(Posix.SigTerm, TestName = "{m}(SIGTERM)")]
    public void StopSignal_WhileATaskIsBlocked_EndsTheRunWithExit3(int signal)
    {
        Assume.That(Posix.IsIgnored(signal), Is.False,
            $"signal {signal} is ignored by this test run (started in the background by a shell without job control), so the worker would ignore it too");
        var good = Work.CopyInput(Repo.WarcFile, "good.warc.gz");
        Posix.MakeFifo(Path.Combine(Work.InputPath, "stuck.warc"));
        var dataset = Work.SampleDataset("target-uris.json");
        dataset["readConnector"]!["rootPath"] = Work.InputPath;
        dataset["manifestFile"]!["fileContents"] = $"{good}\nstuck.warc";
        var datasetFile = Work.WriteDataset(dataset);
        var firstTaskOutput = Path.Combine(Work.DocumentsPath, "task-0001.good.warc.jsonl");
        var stuckTaskState = Path.Combine(Work.Directory, ".letsdata", "state", "TargetUris", "tasks", "task-0002.json");

        var result = Work.Worker(["run", "--dataset", datasetFile, "--plugins", Repo.PluginsDirectory, "--concurrency", "2"], worker =>
        {
            // Signal once the good task is done and the other one is under way, stuck on its input.
            var waited = Stopwatch.StartNew();
            while (!(File.Exists(firstTaskOutput) && IsProcessing(stuckTaskState)) && !worker.HasExited && waited.Elapsed < FirstTaskWait)
            {
                Thread.Sleep(50);
            }

            if (!worker.HasExited)
            {
                Posix.Signal(worker.Id, signal);
            }
        });

        Assert.That(result.ExitCode, Is.EqualTo(3), "stopped with work left: run again to continue\n" + result);
        Assert.That(result.Stdout, Does.Contain("stopped before the end: 1 of 2 task(s) ended"), result.ToString());
        Assert.That(result.Stdout, Does.Contain("stopped: run again to continue (exit code 3)"), result.ToString());
        Assert.That(result.Stderr, Does.Contain("did not stop within"), result.ToString());
        Assert.That(firstTaskOutput, Does.Exist, "the task that ended kept its output");
    }

    private static bool IsProcessing(string taskStateFile)
    {
        try
        {
            return File.Exists(taskStateFile) && File.ReadAllText(taskStateFile).Contains("\"status\": \"PROCESSING\"", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false; // being replaced right now
        }
    }
}

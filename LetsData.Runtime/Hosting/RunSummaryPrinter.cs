using System.Globalization;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// The end-of-run summary: tasks, documents, errors, skips, bytes, time and throughput, then each errored task, then
/// each task with warnings.
/// </summary>
public static class RunSummaryPrinter
{
    public static void Print(TextWriter output, RunSummary summary, string documentsPath, string errorsPath)
    {
        var seconds = Math.Max(summary.Elapsed.TotalSeconds, 1e-6);
        var inv = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(inv, $"Dataset {summary.DatasetName}: {summary.Completed} task(s) completed, {summary.Errored} errored{(summary.Rerun > 0 ? $", {summary.Rerun} stopped at a checkpoint (RERUN: the next run continues them)" : "")} in {summary.Elapsed.TotalSeconds:F2} s"));
        output.WriteLine(string.Create(inv, $"  records {summary.Records}, documents {summary.Documents}, errors {summary.Errors}, skips {summary.Skips}, checkpoints {summary.CheckpointsSaved}"));
        output.WriteLine(string.Create(inv, $"  bytes read {summary.BytesRead} ({summary.BytesScanned} scanned, decompressed), {summary.BytesScanned / seconds / 1e6:F1} MB/s, {summary.Records / seconds:F0} records/s"));
        if (summary.Tasks.Count > 0)
        {
            var heaviest = summary.Tasks.MaxBy(t => t.Counters.AllocatedBytes)!;
            output.WriteLine(string.Create(inv, $"  allocated {summary.Tasks.Sum(t => t.Counters.AllocatedBytes) / 1e6:F1} MB by task threads, most {heaviest.Counters.AllocatedBytes / 1e6:F1} MB ({heaviest.TaskId}){(summary.LeakedThreads > 0 ? $"; {summary.LeakedThreads} thread(s) leaked in plugin calls that timed out" : "")}"));
        }

        output.WriteLine($"  documents: {documentsPath}");
        output.WriteLine($"  errors:    {errorsPath}");
        foreach (var task in summary.Tasks.Where(t => t.Status == DataTaskStatus.Errored))
        {
            output.WriteLine($"  ERRORED {task.TaskId}: {task.ErrorMessage}");
        }

        foreach (var task in summary.Tasks.Where(t => t.Warnings.Count > 0))
        {
            output.WriteLine($"  WARNING {task.TaskId}: {string.Join("; ", task.Warnings)}");
        }
    }
}

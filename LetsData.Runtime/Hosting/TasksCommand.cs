using System.Globalization;
using System.Text.Json;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Hosting;

/// <summary><c>tasks list</c> and <c>tasks show</c>: the dataset's task records as a table, key-value lines or JSON.</summary>
internal static class TasksCommand
{
    public static async Task<int> ListAsync(ITaskStore store, TaskCommandOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var records = (await store.ListAsync(cancellationToken).ConfigureAwait(false))
            .Where(r => options.Status is null || r.Status == options.Status).ToList();
        if (options.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(records, TaskStoreJsonContext.Default.ListTaskRecord));
            return ExitCodes.Success;
        }

        var table = new TextTable("TASK", "STATUS", "ATTEMPTS", "RECORDS", "DOCUMENTS", "ERRORS", "WORKER", "READS", "LAST ERROR");
        foreach (var r in records)
        {
            table.Add(r.TaskId, r.Status.Name(), Number(r.Attempts), Number(r.Counters.Records), Number(r.Counters.Documents),
                Number(r.Counters.Errors), r.WorkerId ?? "-", r.Reader.Describe(), r.LastError?.Message ?? "");
        }

        table.Write(output, cutToTerminal: true);
        output.WriteLine($"{records.Count} task(s){(options.Status is { } s ? $" {s.Name()}" : "")} in {store.Location}");
        return ExitCodes.Success;
    }

    public static async Task<int> ShowAsync(ITaskStore store, TaskCommandOptions options, TextWriter output, TextWriter errors,
        CancellationToken cancellationToken)
    {
        var taskId = options.TaskId!;
        if (await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is not { } r)
        {
            errors.WriteLine($"letsdata: task {taskId} not found in {store.Location}");
            return TaskStateCommands.TaskNotFound;
        }

        if (options.Json)
        {
            // Every --json output is one array, a single task included, so scripts read them all the same way.
            output.WriteLine(JsonSerializer.Serialize([r], TaskStoreJsonContext.Default.ListTaskRecord));
            return ExitCodes.Success;
        }

        var table = new TextTable("FIELD", "VALUE");
        table.Add("task", r.TaskId);
        table.Add("dataset", r.Dataset);
        table.Add("status", r.Status.Name());
        table.Add("attempts", Number(r.Attempts));
        table.Add("reader", r.Reader.ReaderType);
        foreach (var (type, name) in r.Reader.Files)
        {
            table.Add(type == "file" ? "file" : $"file {type}", name);
        }

        if (r.Reader.Partition is { } partition)
        {
            table.Add(partition.Kind, $"{partition.Source} {partition.Id}");
        }

        table.Add("worker", r.WorkerId);
        table.Add("lease expires", Time(r.LeaseExpiresAt) + (r.LeaseExpiresAt is null ? "" : " (by the worker's clock)"));
        table.Add("lease counter", Number(r.LeaseCounter));
        table.Add("created", Time(r.CreatedAt));
        table.Add("started", Time(r.StartedAt));
        table.Add("ended", Time(r.EndedAt));
        var c = r.Counters;
        table.Add("counters", string.Create(CultureInfo.InvariantCulture,
            $"records {c.Records}, documents {c.Documents}, errors {c.Errors}, skips {c.Skips}, bytes read {c.BytesRead} ({c.BytesScanned} scanned, decompressed)"));
        if (r.LastError is { } error)
        {
            table.Add("last error", error.Message);
            table.Add("  at", error.FileName is null ? "-" : $"{error.FileName}{(error.FileType is null ? "" : $" ({error.FileType})")}{(error.Position is null ? "" : $", {error.PositionLabel} {error.Position}")}");
        }

        foreach (var warning in r.Warnings ?? [])
        {
            table.Add("warning", warning);
        }

        table.Add("checkpoint", r.Checkpoint is { } checkpoint ? checkpoint.GetRawText() : "-");
        table.Add("version", Number(r.Version));
        table.Write(output, cutToTerminal: false);
        return ExitCodes.Success;
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset? time) => time?.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}

using System.Text;
using System.Text.Json;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Operations;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>errors list</c>: the error records in the dataset's <c>LocalFiles</c> error folder (every finished
/// <c>&lt;taskId&gt;.jsonl</c> and <c>&lt;taskId&gt;.errored.jsonl</c>; files still being written are left out), as a
/// table or one JSON array of the records as stored.
/// </summary>
internal static class ErrorsListCommand
{
    public static async Task<int> ExecuteAsync(Dataset dataset, ITaskStore store, TaskCommandOptions options, TextWriter output,
        TextWriter errors, CancellationToken cancellationToken)
    {
        if (dataset.Errors.LocalFolder is null)
        {
            errors.WriteLine($"letsdata: errors list reads LocalFiles error folders only; this dataset's errors are in {dataset.ErrorOutputPath}");
            return ExitCodes.UnusableInput;
        }

        var records = LocalErrorRecords.Read(dataset.ErrorOutputPath, options.TaskId, errors);
        if (options.TaskId is { } taskId && records.Count == 0
            && await store.GetAsync(taskId, cancellationToken).ConfigureAwait(false) is null)
        {
            errors.WriteLine($"letsdata: task {taskId} not found in {store.Location} nor in {dataset.ErrorOutputPath}");
            return TaskStateCommands.TaskNotFound;
        }

        if (options.Json)
        {
            WriteJson(output, records);
        }
        else
        {
            WriteTable(output, records, dataset.ErrorOutputPath);
        }

        foreach (var record in records)
        {
            record.Dispose();
        }

        return ExitCodes.Success;
    }

    private static void WriteJson(TextWriter output, List<JsonDocument> records)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var record in records)
            {
                record.WriteTo(writer);
            }

            writer.WriteEndArray();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static void WriteTable(TextWriter output, List<JsonDocument> records, string folder)
    {
        var table = new TextTable("TASK", "KIND", "FILES", "START", "END", "MESSAGE");
        foreach (var record in records)
        {
            var root = record.RootElement;
            table.Add(LocalErrorRecords.Text(root, "taskId"), LocalErrorRecords.Text(root, "kind"), LocalErrorRecords.Map(root, "fileNames"),
                LocalErrorRecords.Map(root, "errorStartOffsetMap"), LocalErrorRecords.Map(root, "errorEndOffsetMap"),
                LocalErrorRecords.Text(root, "errorMessage"));
        }

        table.Write(output, TextTable.TerminalWidth());
        output.WriteLine($"{records.Count} error record(s) in {folder}");
    }
}

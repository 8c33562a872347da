using System.Text;
using System.Text.Json;
using LetsData.Runtime.Datasets;
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

        var records = Read(dataset.ErrorOutputPath, options.TaskId, errors);
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

    private static List<JsonDocument> Read(string folder, string? taskId, TextWriter errors)
    {
        var records = new List<JsonDocument>();
        if (!Directory.Exists(folder))
        {
            return records;
        }

        var files = Directory.EnumerateFiles(folder, "*.jsonl").Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var lineNumber = 0;
            foreach (var line in File.ReadLines(file))
            {
                lineNumber++;
                if (line.Length == 0)
                {
                    continue;
                }

                JsonDocument record;
                try
                {
                    record = JsonDocument.Parse(line);
                }
                catch (JsonException e)
                {
                    errors.WriteLine($"letsdata: {file}:{lineNumber}: not a JSON error record ({e.Message}); left out");
                    continue;
                }

                if (taskId is null || Text(record.RootElement, "taskId") == taskId)
                {
                    records.Add(record);
                }
                else
                {
                    record.Dispose();
                }
            }
        }

        return records;
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
            table.Add(Text(root, "taskId"), Text(root, "kind"), Map(root, "fileNames"), Map(root, "errorStartOffsetMap"),
                Map(root, "errorEndOffsetMap"), Text(root, "errorMessage"));
        }

        table.Write(output, TextTable.TerminalWidth());
        output.WriteLine($"{records.Count} error record(s) in {folder}");
    }

    private static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Map(JsonElement record, string name) =>
        record.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object
            ? string.Join(" ", map.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? $"{p.Name}:{p.Value.GetString()}" : $"{p.Name}:{p.Value.GetRawText()}"))
            : "-";
}

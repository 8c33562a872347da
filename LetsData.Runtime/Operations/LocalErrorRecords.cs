using System.Text.Json;

namespace LetsData.Runtime.Operations;

/// <summary>
/// The error records in a <c>LocalFiles</c> error folder: every finished <c>&lt;taskId&gt;.jsonl</c> and
/// <c>&lt;taskId&gt;.errored.jsonl</c> (files still being written have another extension and are left out), in file
/// name order. Read by <c>errors list</c> and the status page.
/// </summary>
internal static class LocalErrorRecords
{
    /// <summary>The records of <paramref name="folder"/> (only <paramref name="taskId"/>'s when given); the caller disposes them.</summary>
    /// <param name="folder">The error folder; a missing folder holds no records.</param>
    /// <param name="taskId">Only this task's records; null: all.</param>
    /// <param name="warnings">Told about each line that is not a JSON record (it is left out).</param>
    /// <param name="limit">At most this many records.</param>
    public static List<JsonDocument> Read(string folder, string? taskId, TextWriter warnings, int limit = int.MaxValue)
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
                    warnings.WriteLine($"letsdata: {file}:{lineNumber}: not a JSON error record ({e.Message}); left out");
                    continue;
                }

                if (taskId is null || Text(record.RootElement, "taskId") == taskId)
                {
                    records.Add(record);
                    if (records.Count >= limit)
                    {
                        return records;
                    }
                }
                else
                {
                    record.Dispose();
                }
            }
        }

        return records;
    }

    /// <summary>A string property of a record; null when missing or not a string.</summary>
    public static string? Text(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A map property (<c>fileNames</c>, <c>errorStartOffsetMap</c>) as <c>key:value key:value</c>; "-" when missing.</summary>
    public static string Map(JsonElement record, string name) =>
        record.TryGetProperty(name, out var map) && map.ValueKind == JsonValueKind.Object
            ? string.Join(" ", map.EnumerateObject().Select(p => p.Value.ValueKind == JsonValueKind.String ? $"{p.Name}:{p.Value.GetString()}" : $"{p.Name}:{p.Value.GetRawText()}"))
            : "-";
}

using System.Text.Json;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Operations;
using LetsData.Runtime.State;

namespace LetsData.Runtime.Observability.StatusPage;

/// <summary>
/// What the status page shows, read afresh for each request: the dataset's state and tasks from its task store, the
/// live counts of a running run when there is one (the data-task processes' heartbeats are newer than the store,
/// which sees counts at checkpoints), the first error records of a <c>LocalFiles</c> error folder, the plugin and
/// the throughput samples.
/// </summary>
internal sealed class StatusSource(Dataset dataset, ITaskStore store, ThroughputHistory history, TimeProvider time,
    Func<string, RunProgress?>? liveTask = null, Func<long>? liveRecords = null)
{
    /// <summary>How many error records the page lists at most (the page says when there are more).</summary>
    public const int ErrorRows = 50;

    private readonly PluginIdentity _plugin = PluginIdentity.Of(dataset);

    /// <summary>The run's total records now: the live count in a run, else the store's sum.</summary>
    public async ValueTask<long> RecordsAsync(CancellationToken cancellationToken)
    {
        if (liveRecords is not null)
        {
            return liveRecords();
        }

        var records = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        return records.Sum(r => r.Counters.Records);
    }

    /// <summary>The page's data as UTF-8 JSON (the shape <c>status.html</c> reads).</summary>
    public async Task<byte[]> SnapshotJsonAsync(CancellationToken cancellationToken)
    {
        var records = await store.ListAsync(cancellationToken).ConfigureAwait(false);
        var state = DatasetState.Of(records);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("dataset", dataset.Name);
            json.WriteString("status", state.Status.ToString().ToUpperInvariant());
            json.WriteString("generatedAt", time.GetUtcNow());
            json.WriteString("taskStore", store.Location);
            json.WriteStartObject("plugin");
            json.WriteString("name", _plugin.Name);
            json.WriteString("version", _plugin.Version);
            json.WriteString("location", _plugin.Location);
            json.WriteEndObject();
            json.WriteStartObject("tasksByStatus");
            foreach (var (status, count) in state.Tasks)
            {
                json.WriteNumber(status.Name(), count);
            }

            json.WriteEndObject();
            WriteTasks(json, records);
            WriteThroughput(json);
            WriteErrors(json);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private void WriteTasks(Utf8JsonWriter json, IReadOnlyCollection<TaskRecord> records)
    {
        json.WriteStartArray("tasks");
        foreach (var record in records.OrderBy(r => r.TaskId, StringComparer.Ordinal))
        {
            var counters = record.Counters;
            // A running task's heartbeats are ahead of its last checkpoint; an ended task's record is final.
            var live = record.Status == TaskRecordStatus.Processing ? liveTask?.Invoke(record.TaskId) : null;
            json.WriteStartObject();
            json.WriteString("taskId", record.TaskId);
            json.WriteString("status", record.Status.Name());
            json.WriteString("input", record.Reader.Describe());
            json.WriteNumber("records", Math.Max(counters.Records, live?.Records ?? 0));
            json.WriteNumber("documents", Math.Max(counters.Documents, live?.Documents ?? 0));
            json.WriteNumber("errors", Math.Max(counters.Errors, live?.Errors ?? 0));
            json.WriteNumber("skips", Math.Max(counters.Skips, live?.Skips ?? 0));
            json.WriteNumber("bytesRead", counters.BytesRead);
            json.WriteNumber("attempts", record.Attempts);
            json.WriteString("worker", record.WorkerId);
            json.WriteString("lastError", record.LastError?.Message);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private void WriteThroughput(Utf8JsonWriter json)
    {
        json.WriteStartArray("throughput");
        foreach (var sample in history.Samples)
        {
            json.WriteStartObject();
            json.WriteString("at", sample.At);
            json.WriteNumber("records", sample.Records);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private void WriteErrors(Utf8JsonWriter json)
    {
        json.WriteString("errorsLocation", dataset.ErrorOutputPath);
        if (dataset.Errors.LocalFolder is null)
        {
            // Error records in S3 are not read by the page (a request per object on every refresh).
            json.WriteBoolean("errorsReadable", false);
            return;
        }

        json.WriteBoolean("errorsReadable", true);
        var records = LocalErrorRecords.Read(dataset.ErrorOutputPath, taskId: null, TextWriter.Null, ErrorRows + 1);
        json.WriteBoolean("moreErrors", records.Count > ErrorRows);
        json.WriteStartArray("errors");
        foreach (var record in records.Take(ErrorRows))
        {
            var root = record.RootElement;
            json.WriteStartObject();
            json.WriteString("taskId", LocalErrorRecords.Text(root, "taskId"));
            json.WriteString("kind", LocalErrorRecords.Text(root, "kind"));
            json.WriteString("files", LocalErrorRecords.Map(root, "fileNames"));
            json.WriteString("offsets", LocalErrorRecords.Map(root, "errorStartOffsetMap"));
            json.WriteString("message", LocalErrorRecords.Text(root, "errorMessage"));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        foreach (var record in records)
        {
            record.Dispose();
        }
    }
}

using LetsData.Runtime.State;

namespace LetsData.Runtime.Tests.State;

/// <summary>Task records for store tests (shared as source with the integration tests).</summary>
internal static class TestTaskRecords
{
    public static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A CREATED single-file task of <paramref name="dataset"/>, created at <see cref="T0"/>.</summary>
    public static TaskRecord New(string taskId = "task-0001", string file = "a.warc.gz", string dataset = "Demo") => new()
    {
        Dataset = dataset,
        TaskId = taskId,
        Reader = new TaskReaderDefinition("Single File Reader", new Dictionary<string, string> { ["file"] = file }, null, file),
        CreatedAt = T0,
    };
}

using LetsData.Runtime.State;

namespace LetsData.Runtime.Operations;

/// <summary>A dataset's status as LetsData defines it, from its task records.</summary>
public enum DatasetStatus
{
    /// <summary>No task records yet: no run has registered its tasks.</summary>
    Created,

    /// <summary>Tasks are left to run (created, running, or stopped to be continued), none errored.</summary>
    Processing,

    /// <summary>Every task completed.</summary>
    Completed,

    /// <summary>At least one task errored (until it is redriven and completes).</summary>
    Errored,
}

/// <summary>A dataset's status with the counts it comes from.</summary>
/// <param name="Status">The dataset's status.</param>
/// <param name="Tasks">How many tasks are in each status (every status listed, zero included).</param>
/// <param name="Totals">The tasks' counters added up.</param>
public sealed record DatasetState(DatasetStatus Status, IReadOnlyDictionary<TaskRecordStatus, int> Tasks, TaskRecordCounters Totals)
{
    /// <summary>The state of the dataset whose task records are <paramref name="records"/>.</summary>
    public static DatasetState Of(IReadOnlyCollection<TaskRecord> records)
    {
        var tasks = Enum.GetValues<TaskRecordStatus>().ToDictionary(s => s, s => records.Count(r => r.Status == s));
        // An errored task makes the dataset ERRORED even while others run: it needs a person (a redrive) either way.
        var status = records.Count == 0 ? DatasetStatus.Created
            : tasks[TaskRecordStatus.Errored] > 0 ? DatasetStatus.Errored
            : tasks[TaskRecordStatus.Completed] == records.Count ? DatasetStatus.Completed
            : DatasetStatus.Processing;
        var totals = records.Select(r => r.Counters).Aggregate(TaskRecordCounters.Zero, (a, c) => new TaskRecordCounters(a.Records + c.Records,
            a.Documents + c.Documents, a.Errors + c.Errors, a.Skips + c.Skips, a.BytesRead + c.BytesRead, a.BytesScanned + c.BytesScanned));
        return new DatasetState(status, tasks, totals);
    }
}

using System.Text.Json.Serialization;

namespace LetsData.Runtime.State;

/// <summary>Where a task is in its life, with LetsData's names (stored and printed in capitals).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TaskRecordStatus>))]
public enum TaskRecordStatus
{
    /// <summary>Registered (or redriven) and not run yet.</summary>
    [JsonStringEnumMemberName("CREATED")]
    Created,

    /// <summary>Claimed by a worker that holds its lease.</summary>
    [JsonStringEnumMemberName("PROCESSING")]
    Processing,

    /// <summary>Ran to its end; a run skips it unless asked to rerun completed tasks.</summary>
    [JsonStringEnumMemberName("COMPLETED")]
    Completed,

    /// <summary>Failed; <see cref="TaskRecord.LastError"/> says why. The next run retries it.</summary>
    [JsonStringEnumMemberName("ERRORED")]
    Errored,

    /// <summary>Stopped before its end without an outcome (the run was stopped); the next run runs it again.</summary>
    [JsonStringEnumMemberName("RERUN")]
    Rerun,
}

/// <summary>The stored and printed names of <see cref="TaskRecordStatus"/>.</summary>
public static class TaskRecordStatuses
{
    public static string Name(this TaskRecordStatus status) => status.ToString().ToUpperInvariant();

    /// <summary>Parses a status name, case-insensitively.</summary>
    public static bool TryParse(string text, out TaskRecordStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && Enum.IsDefined(status) && !int.TryParse(text, out _);
}

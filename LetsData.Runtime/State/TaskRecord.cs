using System.Text.Json;
using System.Text.Json.Serialization;

namespace LetsData.Runtime.State;

/// <summary>
/// The stored state of one task of a dataset: what it reads, where it is (<see cref="Status"/>), who holds it and
/// until when, how its attempts went. Records are replaced whole, guarded by <see cref="Version"/>.
/// </summary>
public sealed record TaskRecord
{
    public required string Dataset { get; init; }
    public required string TaskId { get; init; }
    public required TaskReaderDefinition Reader { get; init; }
    public TaskRecordStatus Status { get; init; } = TaskRecordStatus.Created;

    /// <summary>Attempts that ended (completed or errored); a claim alone does not count.</summary>
    public int Attempts { get; init; }

    /// <summary>The error of the latest errored attempt; kept after a later success, as history.</summary>
    public TaskLastError? LastError { get; init; }

    /// <summary>The worker (<c>host:pid</c>) that claimed the task last.</summary>
    public string? WorkerId { get; init; }

    /// <summary>
    /// While <see cref="TaskRecordStatus.Processing"/>: until when <see cref="WorkerId"/> holds the task by its own clock.
    /// Shown to people only: other workers' clocks may differ, so a take-over is judged by <see cref="LeaseCounter"/>.
    /// </summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>
    /// Incremented by the holder on every claim and lease extension. A worker that sees it unchanged for a lease period
    /// by its own monotonic clock knows the holder stopped renewing (<see cref="TaskLeases"/>), whatever the clocks say.
    /// Records written before it existed read as 0.
    /// </summary>
    public long LeaseCounter { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public TaskRecordCounters Counters { get; init; } = TaskRecordCounters.Zero;

    /// <summary>
    /// What the latest ended attempt's files said about themselves without failing it (a file that shrank while it was
    /// read, a file that held no record); null when nothing. Absent from records written before it existed.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>
    /// Where the next attempt resumes (<see cref="Engine.Checkpoints.TaskCheckpoint"/>: per-file offsets and reader
    /// state, a shard's sequence number, a scan's last key, the outputs' positions). Opaque JSON to the stores, which
    /// keep it as it is. Dropped when the task completes.
    /// </summary>
    public JsonElement? Checkpoint { get; init; }

    /// <summary>
    /// Incremented by the store on every write. An update names the version it read and fails with
    /// <see cref="TaskConflictException"/> when the stored one differs, so no write is silently lost.
    /// </summary>
    public long Version { get; init; }
}

using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Hosting;

/// <summary><c>run</c>'s options for checkpoints, time boxes, leases and static shards.</summary>
public sealed record WorkerOptions
{
    /// <summary><c>--checkpoint-records N</c>.</summary>
    public long? CheckpointRecords { get; init; }

    /// <summary><c>--checkpoint-seconds S</c>.</summary>
    public double? CheckpointSeconds { get; init; }

    /// <summary><c>--no-checkpoints</c>: no mid-task checkpoints (a failed task starts over).</summary>
    public bool CheckpointsOff { get; init; }

    /// <summary><c>--max-task-seconds S</c>: the time box of one task attempt.</summary>
    public double? MaxTaskSeconds { get; init; }

    /// <summary><c>--lease-seconds S</c>.</summary>
    public double? LeaseSeconds { get; init; }

    /// <summary><c>--shard-index I</c>.</summary>
    public int? ShardIndex { get; init; }

    /// <summary><c>--shard-count N</c>.</summary>
    public int? ShardCount { get; init; }

    /// <summary>The checkpoint cadence these options ask for (the defaults, where they say nothing).</summary>
    public CheckpointInterval? Checkpoints => CheckpointsOff ? null : new CheckpointInterval(
        CheckpointRecords ?? CheckpointInterval.Default.Records,
        CheckpointSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : CheckpointInterval.Default.Time);
}

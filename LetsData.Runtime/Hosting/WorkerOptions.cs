using System.Globalization;
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

    /// <summary>Parses one option's value into <paramref name="updated"/>; false with an error naming the option otherwise.</summary>
    internal static bool TryApply(WorkerOptions options, string option, string value, out WorkerOptions updated, out string? error)
    {
        updated = options;
        error = null;
        var number = double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var parsed) ? parsed : (double?)null;
        var whole = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var integer) ? integer : (long?)null;
        switch (option)
        {
            case "--checkpoint-records" when whole > 0:
                updated = options with { CheckpointRecords = whole };
                return true;
            case "--checkpoint-seconds" when number > 0:
                updated = options with { CheckpointSeconds = number };
                return true;
            case "--max-task-seconds" when number > 0:
                updated = options with { MaxTaskSeconds = number };
                return true;
            case "--lease-seconds" when number >= 1:
                updated = options with { LeaseSeconds = number };
                return true;
            case "--shard-index" when whole is >= 0 and <= int.MaxValue:
                updated = options with { ShardIndex = (int)whole };
                return true;
            case "--shard-count" when whole is > 0 and <= int.MaxValue:
                updated = options with { ShardCount = (int)whole };
                return true;
            default:
                var wanted = option switch
                {
                    "--shard-index" => "a whole number from 0",
                    "--lease-seconds" => "a number of seconds of at least 1",
                    "--checkpoint-records" or "--shard-count" => "a positive whole number",
                    _ => "a positive number of seconds",
                };
                error = $"{option} must be {wanted}, not '{value}'";
                return false;
        }
    }
}

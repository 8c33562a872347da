using System.Diagnostics;
using System.Globalization;
using LetsData.Runtime.DataTasks.Control;

namespace LetsData.Runtime.DataTasks;

/// <summary>
/// The steps of a data-task process's start, timed for <c>run --timings</c>: each mark is a
/// <see cref="Stopwatch.GetTimestamp"/>, which on Linux reads the machine-wide monotonic clock, so the supervisor can
/// place them between its own marks. Stage 1 hands its first mark to stage 2 in the environment (the exec keeps nothing else).
/// </summary>
internal static class DataTaskBoot
{
    /// <summary>Stage 1's start as a timestamp, in the environment of the process it execs.</summary>
    public const string Stage1Variable = "LETSDATA_STAGE1_STARTED";

    private static readonly List<BootMark> Marks = [];

    /// <summary>Ends the step <paramref name="name"/> now (or at <paramref name="timestamp"/>).</summary>
    public static void Mark(string name, long? timestamp = null)
    {
        lock (Marks)
        {
            Marks.Add(new BootMark(name, timestamp ?? Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>Stage 1's marks for <see cref="Stage1Variable"/>: its start, and when it had its policy.</summary>
    public static string Stage1Value(long started, long hadPolicy) =>
        string.Create(CultureInfo.InvariantCulture, $"{started},{hadPolicy}");

    /// <summary>Stage 1's marks, when this process was exec'd by one.</summary>
    public static void MarkStage1FromEnvironment()
    {
        var marks = Environment.GetEnvironmentVariable(Stage1Variable)?.Split(',') ?? [];
        if (marks.Length == 2
            && long.TryParse(marks[0], NumberStyles.None, CultureInfo.InvariantCulture, out var started)
            && long.TryParse(marks[1], NumberStyles.None, CultureInfo.InvariantCulture, out var hadPolicy))
        {
            Mark("runtime start, stage 1 (confinement)", started);
            Mark("stage 1 waiting for its policy", hadPolicy);
        }
    }

    /// <summary>The marks so far, in order.</summary>
    public static IReadOnlyList<BootMark> Snapshot()
    {
        lock (Marks)
        {
            return [.. Marks];
        }
    }
}

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
    /// <summary>Stage 1's marks as timestamps, in the environment of the process it execs.</summary>
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

    private static readonly string[] Stage1Steps =
        ["runtime start, stage 1 (confinement)", "stage 1 waiting for its policy", "stage 1 reading its policy"];

    /// <summary>Stage 1's marks for <see cref="Stage1Variable"/>: its start, when it had its policy, when it had read it.</summary>
    public static string Stage1Value(long started, long hadPolicy, long readPolicy) =>
        string.Create(CultureInfo.InvariantCulture, $"{started},{hadPolicy},{readPolicy}");

    /// <summary>Stage 1's marks, when this process was exec'd by one.</summary>
    public static void MarkStage1FromEnvironment()
    {
        var marks = Environment.GetEnvironmentVariable(Stage1Variable)?.Split(',') ?? [];
        if (marks.Length != Stage1Steps.Length)
        {
            return;
        }

        for (var i = 0; i < Stage1Steps.Length; i++)
        {
            if (long.TryParse(marks[i], NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            {
                Mark(Stage1Steps[i], timestamp);
            }
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

using System.Diagnostics;
using System.Globalization;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// <c>run --timings</c>: stopwatch spans of one run, printed to standard error at the end as
/// <c>timings: NAME  N ms</c> lines, so that start-up and teardown costs can be told apart from the task. The first span
/// runs from the process's start (as the OS recorded it) to the run command.
/// </summary>
internal sealed class RunTimings
{
    private readonly List<(string Name, TimeSpan Span, bool Step)> _spans = [];
    private long _last = Stopwatch.GetTimestamp();

    public RunTimings(bool enabled)
    {
        Enabled = enabled;
        if (enabled)
        {
            // The runtime's own start (host, assembly loading, DI container) happens before any code of ours can time it.
            var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
            _spans.Add(("process start → run command (runtime, host)", DateTime.UtcNow - started, false));
        }
    }

    public bool Enabled { get; }

    /// <summary>
    /// Ends the current span (since the previous mark) as <paramref name="name"/>, now or at <paramref name="timestamp"/>
    /// (a <see cref="Stopwatch.GetTimestamp"/> taken elsewhere, e.g. when the first data-task process was ready).
    /// </summary>
    public void Mark(string name, long? timestamp = null)
    {
        var at = timestamp ?? Stopwatch.GetTimestamp();
        Add(name, Stopwatch.GetElapsedTime(_last, at));
        _last = at;
    }

    /// <summary>
    /// Steps of another process inside the spans (e.g. a data-task process's start): each from the previous
    /// timestamp, printed indented and left out of the total. The first entry is where the steps begin.
    /// </summary>
    public void Steps(string owner, IReadOnlyList<(string Name, long Timestamp)> marks)
    {
        for (var i = 1; i < marks.Count && Enabled; i++)
        {
            _spans.Add(($"  {owner}: {marks[i].Name}", Stopwatch.GetElapsedTime(marks[i - 1].Timestamp, marks[i].Timestamp), true));
        }
    }

    private void Add(string name, TimeSpan span)
    {
        if (Enabled)
        {
            _spans.Add((name, span, false));
        }
    }

    public void Print(TextWriter error)
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var (name, span, _) in _spans)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timings: {name,-62} {span.TotalMilliseconds,8:F1} ms"));
        }

        var total = _spans.Where(s => !s.Step).Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Span);
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timings: {"total to here (exit follows: host stop, runtime shutdown)",-62} {total.TotalMilliseconds,8:F1} ms"));
    }
}

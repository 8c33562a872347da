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
    private readonly List<(string Name, TimeSpan Span)> _spans = [];
    private long _last = Stopwatch.GetTimestamp();

    public RunTimings(bool enabled)
    {
        Enabled = enabled;
        if (enabled)
        {
            // The runtime's own start (host, assembly loading, DI container) happens before any code of ours can time it.
            var started = Process.GetCurrentProcess().StartTime.ToUniversalTime();
            _spans.Add(("process start → run command (runtime, host)", DateTime.UtcNow - started));
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

    private void Add(string name, TimeSpan span)
    {
        if (Enabled)
        {
            _spans.Add((name, span));
        }
    }

    public void Print(TextWriter error)
    {
        if (!Enabled)
        {
            return;
        }

        foreach (var (name, span) in _spans)
        {
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timings: {name,-62} {span.TotalMilliseconds,8:F1} ms"));
        }

        var total = _spans.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Span);
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timings: {"total to here (exit follows: host stop, runtime shutdown)",-62} {total.TotalMilliseconds,8:F1} ms"));
    }
}

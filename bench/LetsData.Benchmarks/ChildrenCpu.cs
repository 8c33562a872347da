using System.Globalization;

namespace LetsData.Benchmarks;

/// <summary>
/// The CPU time (user + system) of this process's reaped children and of the children they reaped in turn, from
/// /proc/self/stat (cutime, cstime): the delta around one worker launch is the CPU the worker and its data-task
/// processes used, which Process.TotalProcessorTime cannot tell once the worker has exited.
/// </summary>
internal static class ChildrenCpu
{
    private const string StatFile = "/proc/self/stat";

    /// <summary>Linux reports these fields in USER_HZ ticks, 100 per second on every architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100;

    /// <summary>Null where the OS does not expose it.</summary>
    public static TimeSpan? Read()
    {
        try
        {
            if (!File.Exists(StatFile))
            {
                return null;
            }

            var stat = File.ReadAllText(StatFile);
            // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
            var ticks = long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException)
        {
            return null; // informational only
        }
    }
}

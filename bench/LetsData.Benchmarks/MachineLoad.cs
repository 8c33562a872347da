using System.Globalization;

namespace LetsData.Benchmarks;

/// <summary>
/// The load average, printed with every measurement: on a shared 2-core machine other builds can take a core, and a
/// reader of the report must be able to tell a slow engine from a busy machine.
/// </summary>
internal static class MachineLoad
{
    private const string LoadAverageFile = "/proc/loadavg";

    /// <summary>"1.23 0.98 0.50 (1/5/15 min)", or "n/a" where the OS does not expose it.</summary>
    public static string Describe()
    {
        try
        {
            if (File.Exists(LoadAverageFile))
            {
                var fields = File.ReadAllText(LoadAverageFile).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return string.Create(CultureInfo.InvariantCulture, $"{fields[0]} {fields[1]} {fields[2]} (1/5/15 min)");
            }
        }
        catch (IOException)
        {
            // Informational only.
        }

        return "n/a";
    }
}

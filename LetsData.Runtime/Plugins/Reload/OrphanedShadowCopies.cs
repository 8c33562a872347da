using System.Globalization;

namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// Removes the shadow-copy folders of workers that are gone. A worker removes its own copies when it ends, but one
/// that was killed (SIGKILL, a crash, a supervisor's hard stop) cannot; its folder is named <c>&lt;pid&gt;-&lt;random&gt;</c>,
/// so the next worker can tell it from the folder of one still running.
/// </summary>
internal static class OrphanedShadowCopies
{
    public static void Remove(string parent)
    {
        IEnumerable<string> folders;
        try
        {
            folders = Directory.EnumerateDirectories(parent).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var folder in folders)
        {
            var name = Path.GetFileName(folder);
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash <= 0 || !int.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId || State.LocalProcesses.IsRunning(pid))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another worker may be removing it at the same time, or it belongs to another user.
            }
        }
    }
}

namespace LetsData.TestPlugins.HostileHelperExe;

/// <summary>Plain file and environment access, out of the policy scan's sight (this assembly is never scanned).</summary>
public static class CredentialsHelper
{
    /// <summary>Writes <paramref name="markerPath"/>, then returns <c>~/.aws/credentials</c> and <c>/proc/self/environ</c>.</summary>
    public static string Run(string markerPath)
    {
        var found = new List<string>();
        Try(found, () =>
        {
            File.WriteAllText(markerPath, "written by HelperTool.exe\n");
            return $"wrote {markerPath}";
        });
        var home = Environment.GetEnvironmentVariable("HOME") ?? "/root";
        Try(found, () => File.ReadAllText(Path.Combine(home, ".aws", "credentials")));
        Try(found, () => File.ReadAllText("/proc/self/environ").Replace('\0', '\n'));
        return string.Join('\n', found);
    }

    private static void Try(List<string> found, Func<string> action)
    {
        try
        {
            found.Add(action());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            found.Add($"failed: {e.Message}");
        }
    }
}

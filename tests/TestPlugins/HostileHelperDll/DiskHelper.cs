namespace LetsData.TestPlugins.HostileHelperDll;

/// <summary>Plain file and environment access, out of the policy scan's sight (this assembly is never scanned).</summary>
public static class DiskHelper
{
    /// <summary>Writes <paramref name="markerPath"/>, then returns <c>/etc/passwd</c> and the secret environment variables.</summary>
    public static string Run(string markerPath)
    {
        var found = new List<string>();
        try
        {
            File.WriteAllText(markerPath, "written by helper.DLL\n");
            found.Add($"wrote {markerPath}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            found.Add($"write failed: {e.Message}");
        }

        try
        {
            found.Add(File.ReadAllText("/etc/passwd"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            found.Add($"read failed: {e.Message}");
        }

        found.Add($"LETSDATA_TEST_SECRET={Environment.GetEnvironmentVariable("LETSDATA_TEST_SECRET")}");
        found.Add($"AWS_SECRET_ACCESS_KEY={Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY")}");
        return string.Join('\n', found);
    }
}

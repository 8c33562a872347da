namespace LetsData.EndToEnd.Tests.Support;

/// <summary>Paths in the repository the tests run against; the root is found by walking up from the test binaries.</summary>
internal static class Repo
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>The published worker (apphost) and its main assembly.</summary>
    public static string WorkerExe => Path.Combine(Root, "artifacts", "letsdata", OperatingSystem.IsWindows() ? "letsdata.exe" : "letsdata");

    public static string WorkerDll => Path.Combine(Root, "artifacts", "letsdata", "letsdata.dll");

    /// <summary>The <c>--plugins</c> folder and the published sample plugin.</summary>
    public static string PluginsDirectory => Path.Combine(Root, "plugins");

    public static string SamplesPluginDll => Path.Combine(PluginsDirectory, SamplesPluginName, SamplesPluginName + ".dll");

    public const string SamplesPluginName = "LetsData.Plugins.Samples";

    public static string DatasetsDirectory => Path.Combine(Root, "datasets");

    public static string CommonCrawlDirectory => Path.Combine(DatasetsDirectory, "commoncrawl");

    public static string WarcFile => Path.Combine(CommonCrawlDirectory, "whirlwind.warc.gz");

    public static string WetFile => Path.Combine(CommonCrawlDirectory, "whirlwind.warc.wet.gz");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "LetsData.sln")) || Directory.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no LetsData.sln or .git above {AppContext.BaseDirectory}: cannot find the repository root");
    }
}

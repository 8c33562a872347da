namespace LetsData.Benchmarks;

/// <summary>Where things are in the repository, found from the current directory or the program's location.</summary>
internal sealed class RepositoryLayout
{
    private RepositoryLayout(string root) => Root = root;

    public string Root { get; }
    public string BenchDataDirectory => Path.Combine(Root, "artifacts", "bench-data");
    public string WorkerDirectory => Path.Combine(Root, "artifacts", "letsdata");
    public string WorkerExecutable => Path.Combine(WorkerDirectory, OperatingSystem.IsWindows() ? "letsdata.exe" : "letsdata");
    public string PluginsDirectory => Path.Combine(Root, "plugins");
    public string SamplePluginDirectory => Path.Combine(PluginsDirectory, "LetsData.Plugins.Samples");
    public string SamplePluginAssembly => Path.Combine(SamplePluginDirectory, "LetsData.Plugins.Samples.dll");

    /// <summary>Walks up to the folder holding LetsData.sln: `dotnet run` starts us in the repository, the build elsewhere.</summary>
    public static RepositoryLayout Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "LetsData.sln")))
                {
                    return new RepositoryLayout(dir.FullName);
                }
            }
        }

        throw new InvalidOperationException("cannot find the repository root (a folder with LetsData.sln) above the current directory");
    }
}

namespace LetsData.Runtime.Tests.Plugins;

/// <summary>A copy of a test plugin's folder in a temporary directory, for tests that break the layout.</summary>
internal sealed class PluginFolderCopy : IDisposable
{
    private PluginFolderCopy(string folder, string assemblyPath)
    {
        Folder = folder;
        AssemblyPath = assemblyPath;
    }

    public string Folder { get; }

    public string AssemblyPath { get; }

    public static PluginFolderCopy Of(string pluginName)
    {
        var source = TestPluginBuilds.FolderOf(pluginName);
        var folder = Path.Combine(Path.GetTempPath(), "letsdata-plugin-tests", Guid.NewGuid().ToString("N"), pluginName);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return new PluginFolderCopy(folder, Path.Combine(folder, pluginName + ".dll"));
    }

    public void Delete(string fileName)
    {
        var path = Path.Combine(Folder, fileName);
        Assert.That(path, Does.Exist, "the test expects the build to have produced this file");
        File.Delete(path);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(Folder)!, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does not affect other tests.
        }
    }
}

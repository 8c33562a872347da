namespace LetsData.Runtime.Tests.Plugins.Reload;

/// <summary>
/// A deployed plugin folder (<c>plugins/Name/</c>) in a temporary directory, into which a test drops builds the way a
/// developer or CI does: overwriting the files in place while the worker runs.
/// </summary>
internal sealed class PluginDropFolder : IDisposable
{
    private readonly string _root;

    public PluginDropFolder(string pluginName)
    {
        _root = Path.Combine(Path.GetTempPath(), "letsdata-reload-tests", Guid.NewGuid().ToString("N"));
        Folder = Path.Combine(_root, "plugins", pluginName);
        Directory.CreateDirectory(Folder);
        AssemblyPath = Path.Combine(Folder, pluginName + ".dll");
        ShadowRoot = Path.Combine(_root, "shadow");
        StateDirectory = Path.Combine(_root, "state");
    }

    public string Folder { get; }

    public string AssemblyPath { get; }

    /// <summary>Where the host under test puts its shadow copies (inside this temp folder, so nothing is left behind).</summary>
    public string ShadowRoot { get; }

    public string StateDirectory { get; }

    /// <summary>Copies every file of <paramref name="buildFolder"/> over the drop folder's, in place (no delete first).</summary>
    public PluginDropFolder Drop(string buildFolder)
    {
        foreach (var file in Directory.EnumerateFiles(buildFolder))
        {
            File.Copy(file, Path.Combine(Folder, Path.GetFileName(file)), overwrite: true);
        }

        return this;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder left behind does not affect other tests.
        }
    }
}

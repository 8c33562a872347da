namespace LetsData.Runtime.Plugins.Reload;

/// <summary>
/// A private copy of a plugin folder that one plugin version is loaded from. The dropped files are never loaded, so a
/// new build can overwrite them while the old version runs (on Linux, overwriting a loaded, memory-mapped DLL in place
/// can crash the process; on Windows the file is locked).
/// </summary>
internal sealed class PluginShadowCopy
{
    private PluginShadowCopy(string sourceAssemblyPath, string folder, string assemblyPath)
    {
        SourceAssemblyPath = sourceAssemblyPath;
        Folder = folder;
        AssemblyPath = assemblyPath;
    }

    /// <summary>The main assembly in the folder that was copied (the one the developer dropped).</summary>
    public string SourceAssemblyPath { get; }

    /// <summary>The copy's folder, unique to one version.</summary>
    public string Folder { get; }

    /// <summary>The main assembly inside the copy.</summary>
    public string AssemblyPath { get; }

    /// <summary>Copies the folder of <paramref name="sourceAssemblyPath"/> (subfolders included) to a new folder under <paramref name="root"/>.</summary>
    /// <exception cref="IOException">A file could not be read or written (e.g. a build is still writing it).</exception>
    public static PluginShadowCopy Create(string sourceAssemblyPath, string root, int version)
    {
        var source = Path.GetDirectoryName(sourceAssemblyPath)!;
        var name = Path.GetFileNameWithoutExtension(sourceAssemblyPath);
        // The random part keeps two hosts sharing a root (or a retried version) from ever writing into a loaded copy.
        var folder = Path.Combine(root, $"{name}-v{version}-{Guid.NewGuid().ToString("N")[..8]}");
        CopyFolder(source, folder);
        return new PluginShadowCopy(sourceAssemblyPath, folder, Path.Combine(folder, Path.GetFileName(sourceAssemblyPath)));
    }

    /// <summary>The message with the copy's paths replaced by the dropped build's: the copy's path means nothing to the developer.</summary>
    public string NameTheSource(string message) =>
        message.Replace(AssemblyPath, SourceAssemblyPath, StringComparison.Ordinal)
            .Replace(Folder, Path.GetDirectoryName(SourceAssemblyPath), StringComparison.Ordinal);

    /// <summary>Deletes the copy; best effort (a copy still mapped by a leaked context may refuse on Windows).</summary>
    public void TryDelete() => TryDeleteFolder(Folder);

    /// <summary>Deletes a folder of copies; best effort: what is left is removed by the next worker start or the OS's temp cleanup.</summary>
    public static void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // It no longer takes part in anything.
        }
    }

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        foreach (var folder in Directory.EnumerateDirectories(source))
        {
            CopyFolder(folder, Path.Combine(target, Path.GetFileName(folder)));
        }
    }
}

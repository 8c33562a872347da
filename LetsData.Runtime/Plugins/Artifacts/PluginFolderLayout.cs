namespace LetsData.Runtime.Plugins.Artifacts;

/// <summary>
/// Finds the plugin in an unpacked zip. The plugin folder is the zip's root, or its one top folder when the root holds
/// nothing else. The plugin assembly is the <c>#Name.dll</c> the dataset names, else the owner of the folder's single
/// <c>*.deps.json</c> (the file every plugin built with <c>EnableDynamicLoading</c> has).
/// </summary>
public static class PluginFolderLayout
{
    /// <summary>The full path of the plugin's main assembly in <paramref name="unpackedFolder"/>.</summary>
    /// <param name="unpackedFolder">The folder the zip was unpacked into.</param>
    /// <param name="assemblyFileName">The <c>#Name.dll</c> from <c>artifactFile</c>, or null to pick the <c>*.deps.json</c> owner.</param>
    /// <exception cref="NoPluginException">No (or more than one) plugin assembly could be identified.</exception>
    public static string FindMainAssembly(string unpackedFolder, string? assemblyFileName)
    {
        var pluginFolder = PluginFolder(unpackedFolder);
        if (assemblyFileName is not null)
        {
            var named = Path.Combine(pluginFolder, assemblyFileName);
            return File.Exists(named)
                ? named
                : throw new NoPluginException($"no plugin DLL inside: {assemblyFileName} is not in the zip ({Describe(pluginFolder)})");
        }

        var owners = Directory.EnumerateFiles(pluginFolder, "*.deps.json")
            .Select(depsJson => Path.Combine(pluginFolder, Path.GetFileName(depsJson)[..^".deps.json".Length] + ".dll"))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal)
            .ToList();
        return owners.Count switch
        {
            1 => owners[0],
            0 => throw new NoPluginException($"no plugin DLL inside: no Name.dll with its Name.deps.json at the zip's root or in its one top folder ({Describe(pluginFolder)})"),
            _ => throw new NoPluginException($"several plugin DLLs inside ({string.Join(", ", owners.Select(Path.GetFileName))}): name one by ending artifactFile with #Name.dll"),
        };
    }

    /// <summary>The zip's one top folder when its root holds nothing else, otherwise the root itself.</summary>
    public static string PluginFolder(string unpackedFolder)
    {
        var entries = Directory.EnumerateFileSystemEntries(unpackedFolder).Take(2).ToList();
        return entries.Count == 1 && Directory.Exists(entries[0]) ? entries[0] : unpackedFolder;
    }

    private static string Describe(string folder)
    {
        var names = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? "the zip is empty" : $"it holds: {string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", ..." : "")}";
    }
}

/// <summary>An unpacked zip has no identifiable plugin assembly.</summary>
public sealed class NoPluginException(string reason) : Exception(reason);

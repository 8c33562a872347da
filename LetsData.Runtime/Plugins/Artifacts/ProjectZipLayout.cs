namespace LetsData.Runtime.Plugins.Artifacts;

/// <summary>
/// Where a zip of a project folder (not a .NET plugin: a Python or JavaScript project in LetsData's layout) has its
/// marker folder once unpacked: at the zip's top, or in its one top folder (a zip of the project folder itself).
/// </summary>
public static class ProjectZipLayout
{
    /// <summary>The path of <paramref name="markerFolder"/> in the unpacked zip.</summary>
    /// <exception cref="PluginArtifactException">The zip has no such folder: the message names the object.</exception>
    public static string FindFolder(PluginArtifactLocation location, string unpacked, string markerFolder)
    {
        var top = Path.Combine(unpacked, markerFolder);
        if (Directory.Exists(top))
        {
            return top;
        }

        var folders = Directory.GetDirectories(unpacked);
        if (folders.Length == 1 && Directory.GetFiles(unpacked).Length == 0 && Path.Combine(folders[0], markerFolder) is var nested
            && Directory.Exists(nested))
        {
            return nested;
        }

        throw new PluginArtifactException(location.ToString(),
            $"not a project in LetsData's layout: no {markerFolder}/ folder at the zip's top or in its one top folder");
    }
}

using LetsData.Runtime.Plugins.Artifacts;

namespace LetsData.Runtime.Bridge;

/// <summary>
/// A Python or JavaScript project as a zip in S3 (<c>artifactFile: s3://bucket/key.zip</c>): fetched and unpacked like a
/// .NET plugin zip (<see cref="S3PluginArtifactFetcher"/>: the dataset's credentials, safe extraction within
/// <see cref="PluginZipLimits"/>, the plugin cache keyed by ETag); the project is where <c>letsdata_interfaces/</c> is.
/// </summary>
public static class BridgeProjectZip
{
    /// <summary>
    /// The unpacked project's <c>letsdata_interfaces</c> folder: at the zip's top, or in its one top folder (a zip of the
    /// project folder itself).
    /// </summary>
    /// <exception cref="PluginArtifactException">Neither: the message names the object.</exception>
    public static string FindInterfacesFolder(PluginArtifactLocation location, string unpacked)
    {
        var top = Path.Combine(unpacked, BridgeProject.InterfacesFolder);
        if (Directory.Exists(top))
        {
            return top;
        }

        var folders = Directory.GetDirectories(unpacked);
        if (folders.Length == 1 && Directory.GetFiles(unpacked).Length == 0
            && Path.Combine(folders[0], BridgeProject.InterfacesFolder) is var nested && Directory.Exists(nested))
        {
            return nested;
        }

        throw new PluginArtifactException(location.ToString(),
            $"not a project in LetsData's layout: no {BridgeProject.InterfacesFolder}/ folder at the zip's top or in its one top folder");
    }
}

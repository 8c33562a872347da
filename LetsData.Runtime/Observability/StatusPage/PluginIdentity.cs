using System.Reflection;
using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Observability.StatusPage;

/// <summary>The plugin a dataset runs, as the status page names it: its assembly name and version.</summary>
/// <param name="Name">The assembly's name (or the zip's / project's file name when it is not a local assembly).</param>
/// <param name="Version">The assembly version; null when it cannot be read here.</param>
/// <param name="Location">Where the dataset says the plugin is.</param>
internal sealed record PluginIdentity(string Name, string? Version, string Location)
{
    /// <summary>
    /// Reads the identity from the assembly's metadata only (<see cref="AssemblyName.GetAssemblyName"/>): no plugin code
    /// is loaded or run, so the supervisor and <c>letsdata ui</c> may do it. An <c>s3://</c> zip or a bridge project has
    /// no version to read before it is fetched.
    /// </summary>
    public static PluginIdentity Of(Dataset dataset)
    {
        var location = dataset.ArtifactFile;
        if (dataset.PluginArtifact is null && dataset.Bridge is null && File.Exists(location))
        {
            try
            {
                var name = AssemblyName.GetAssemblyName(location);
                return new PluginIdentity(name.Name ?? Path.GetFileNameWithoutExtension(location), name.Version?.ToString(), location);
            }
            catch (Exception e) when (e is BadImageFormatException or IOException or UnauthorizedAccessException)
            {
                // Not an assembly (yet): the name is still worth showing.
            }
        }

        return new PluginIdentity(Path.GetFileNameWithoutExtension(location), null, location);
    }
}

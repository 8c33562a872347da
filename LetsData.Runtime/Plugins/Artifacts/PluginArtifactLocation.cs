using LetsData.Runtime.Aws;

namespace LetsData.Runtime.Plugins.Artifacts;

/// <summary>
/// A plugin zip in S3 as <c>readConnector.artifactFile</c> names it: <c>s3://bucket/key.zip</c>, optionally followed by
/// <c>#Name.dll</c> to say which assembly in the zip is the plugin (needed only when the zip holds several
/// <c>*.deps.json</c> owners).
/// </summary>
public sealed record PluginArtifactLocation(S3ObjectUri Object, string? AssemblyFileName)
{
    /// <summary>Parses an <c>s3://</c> <c>artifactFile</c>; returns null with the reason when it is malformed.</summary>
    public static PluginArtifactLocation? TryParse(string artifactFile, out string? problem)
    {
        string? assembly = null;
        var uriText = artifactFile;
        var hash = artifactFile.LastIndexOf('#');
        // Only a "#Name.dll" after the last '/' is a selector; any other '#' is part of the key.
        if (hash > 0 && artifactFile.IndexOf('/', hash) < 0 && artifactFile.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            assembly = artifactFile[(hash + 1)..];
            uriText = artifactFile[..hash];
            if (assembly.Length <= ".dll".Length || assembly.Contains('\\', StringComparison.Ordinal) || assembly is "." or "..")
            {
                problem = $"'{artifactFile}': '#{assembly}' is not a plugin assembly file name (expected #Name.dll)";
                return null;
            }
        }

        var uri = S3ObjectUri.TryParse(uriText, out problem);
        return uri is null ? null : new PluginArtifactLocation(uri, assembly);
    }

    public override string ToString() => AssemblyFileName is null ? Object.ToString() : $"{Object}#{AssemblyFileName}";
}

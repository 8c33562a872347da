namespace LetsData.Runtime.Plugins.Artifacts;

/// <summary>A plugin zip from S3 ready to load: where its main assembly is, which version it is, and whether it was already cached.</summary>
/// <param name="Location">The <c>artifactFile</c> it came from.</param>
/// <param name="AssemblyPath">The plugin's main assembly in the cache, for <see cref="PluginLoader.Load(string)"/>.</param>
/// <param name="ETag">The S3 object's ETag (without quotes): the cache folder's name.</param>
/// <param name="FromCache">True when the folder was there already and nothing was downloaded.</param>
/// <param name="DownloadedBytes">The zip's size when it was downloaded; 0 from the cache.</param>
public sealed record ResolvedPluginArtifact(PluginArtifactLocation Location, string AssemblyPath, string ETag, bool FromCache, long DownloadedBytes)
{
    /// <summary>One line for the log: "plugin s3://… cached (etag …)" or "plugin s3://… downloaded (etag …, N bytes)".</summary>
    public string Describe() => FromCache
        ? $"plugin {Location} cached (etag {ETag}) at {Path.GetDirectoryName(AssemblyPath)}"
        : $"plugin {Location} downloaded (etag {ETag}, {DownloadedBytes:N0} bytes) into {Path.GetDirectoryName(AssemblyPath)}";
}

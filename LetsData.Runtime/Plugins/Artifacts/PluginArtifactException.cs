namespace LetsData.Runtime.Plugins.Artifacts;

/// <summary>
/// A plugin zip in S3 could not be turned into a loadable plugin folder: the message is
/// "&lt;s3 URI&gt;: &lt;reason&gt;" (missing object, access denied, not a zip, unsafe entry, no plugin DLL, ...).
/// </summary>
public sealed class PluginArtifactException(string uri, string reason, Exception? innerException = null)
    : Exception($"{uri}: {reason}", innerException)
{
    /// <summary>The artifact's <c>s3://</c> URI.</summary>
    public string Uri { get; } = uri;

    /// <summary>What went wrong.</summary>
    public string Reason { get; } = reason;
}

/// <summary>A zip entry or size the extractor refuses; <see cref="S3PluginArtifactFetcher"/> adds the URI.</summary>
public sealed class UnsafePluginZipException(string reason) : Exception(reason);

using Amazon.S3;
using Amazon.S3.Model;
using LetsData.Runtime.Aws;

namespace LetsData.Runtime.Plugins.Artifacts;

/// <summary>
/// Makes a plugin zip in S3 loadable: a HEAD for its ETag; when the cache has no complete folder for that ETag, the
/// object is streamed to a temporary file (never held in memory), unpacked safely into a working folder, checked for a
/// plugin assembly and renamed into place. Every failure is a <see cref="PluginArtifactException"/> naming the URI.
/// </summary>
public sealed class S3PluginArtifactFetcher(IAmazonS3 client, PluginArtifactCache cache, PluginZipLimits? limits = null)
{
    private readonly PluginZipLimits _limits = limits ?? PluginZipLimits.Default;

    /// <summary>The plugin's main assembly in the cache, downloading and unpacking the zip first when needed.</summary>
    /// <exception cref="PluginArtifactException">Missing object, access denied, not a zip, unsafe zip, no plugin DLL, ...</exception>
    public Task<ResolvedPluginArtifact> FetchAsync(PluginArtifactLocation location, CancellationToken cancellationToken) =>
        FetchAsync(location, FindMainAssembly, cancellationToken);

    /// <summary>
    /// The same for a zip whose entry point is not a plugin DLL: <paramref name="findEntry"/> names the path in the
    /// unpacked folder that <see cref="ResolvedPluginArtifact.AssemblyPath"/> is to be (a Python or JavaScript project's
    /// <c>letsdata_interfaces</c> folder), throwing <see cref="PluginArtifactException"/> when the zip has none.
    /// </summary>
    public async Task<ResolvedPluginArtifact> FetchAsync(PluginArtifactLocation location, Func<PluginArtifactLocation, string, string> findEntry,
        CancellationToken cancellationToken)
    {
        var uri = location.Object;
        var eTag = await HeadETagAsync(location, cancellationToken).ConfigureAwait(false);
        var entry = cache.EntryFolder(uri, eTag);
        if (Directory.Exists(entry))
        {
            return new ResolvedPluginArtifact(location, findEntry(location, entry), eTag, FromCache: true, 0);
        }

        var working = cache.CreateWorkingFolder(uri);
        var zipFile = working + ".zip";
        try
        {
            var (downloadedETag, size) = await DownloadAsync(location, zipFile, cancellationToken).ConfigureAwait(false);
            if (downloadedETag != eTag)
            {
                // Replaced between HEAD and GET: file what was downloaded under its own ETag, never under the old one.
                eTag = downloadedETag;
                entry = cache.EntryFolder(uri, eTag);
            }

            Unpack(location, zipFile, working);
            // Checked before the commit: a zip without a plugin must fail every run, not become a cache entry.
            var assembly = findEntry(location, working);
            PluginArtifactCache.Commit(working, entry);
            // The same place in the committed entry (or in another worker's identical one): the folder is walked once.
            return new ResolvedPluginArtifact(location, Path.Combine(entry, Path.GetRelativePath(working, assembly)), eTag, FromCache: false, size);
        }
        finally
        {
            PluginArtifactCache.DeleteQuietly(zipFile);
            PluginArtifactCache.DeleteQuietly(working);
        }
    }

    private async Task<string> HeadETagAsync(PluginArtifactLocation location, CancellationToken cancellationToken)
    {
        var uri = location.Object;
        try
        {
            var head = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = uri.BucketName, Key = uri.Key }, cancellationToken)
                .ConfigureAwait(false);
            return NormalizeETag(head.ETag);
        }
        catch (Exception e) when (S3ObjectFailure.Describe(e, uri) is { } reason)
        {
            throw new PluginArtifactException(location.ToString(), reason, e);
        }
    }

    private static string NormalizeETag(string? eTag) => (eTag ?? "").Trim('"');

    private async Task<(string ETag, long Size)> DownloadAsync(PluginArtifactLocation location, string zipFile, CancellationToken cancellationToken)
    {
        var uri = location.Object;
        try
        {
            using var response = await client.GetObjectAsync(new GetObjectRequest { BucketName = uri.BucketName, Key = uri.Key }, cancellationToken)
                .ConfigureAwait(false);
            await using var file = new FileStream(zipFile, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await response.ResponseStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            return (NormalizeETag(response.ETag), file.Length);
        }
        catch (Exception e) when (S3ObjectFailure.Describe(e, uri) is { } reason)
        {
            throw new PluginArtifactException(location.ToString(), reason, e);
        }
    }

    private void Unpack(PluginArtifactLocation location, string zipFile, string working)
    {
        try
        {
            PluginZipExtractor.Extract(zipFile, working, _limits);
        }
        catch (InvalidDataException e)
        {
            throw new PluginArtifactException(location.ToString(), $"not a zip archive ({e.Message})", e);
        }
        catch (UnsafePluginZipException e)
        {
            throw new PluginArtifactException(location.ToString(), $"unsafe zip refused: {e.Message}", e);
        }
    }

    private static string FindMainAssembly(PluginArtifactLocation location, string folder)
    {
        try
        {
            return PluginFolderLayout.FindMainAssembly(folder, location.AssemblyFileName);
        }
        catch (NoPluginException e)
        {
            throw new PluginArtifactException(location.ToString(), e.Message, e);
        }
    }
}

using System.Security.Cryptography;
using System.Text;
using LetsData.Runtime.Aws;

namespace LetsData.Runtime.Plugins.Artifacts;

/// <summary>
/// The local folder plugin zips from S3 are unpacked into: <c>&lt;root&gt;/&lt;bucket&gt;/&lt;key&gt;-&lt;hash&gt;/&lt;etag&gt;/</c>.
/// An object's ETag changes whenever its content does, so a folder for an ETag never goes stale. Folders are written
/// under a temporary name and renamed into place at the end: a folder that exists under its ETag name is complete.
/// </summary>
public sealed class PluginArtifactCache
{
    /// <summary>Environment variable naming the cache root when <c>--plugin-cache</c> is not given.</summary>
    public const string RootVariable = "LETSDATA_PLUGIN_CACHE";

    private const string TemporaryPrefix = ".tmp-";

    public PluginArtifactCache(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
    }

    public string RootDirectory { get; }

    /// <summary>
    /// The cache for this run: <paramref name="commandLineRoot"/>, else <see cref="RootVariable"/>, else the user's
    /// cache folder (<c>$XDG_CACHE_HOME/letsdata/plugins</c> or <c>~/.cache/letsdata/plugins</c>;
    /// <c>%LOCALAPPDATA%\letsdata\plugins</c> on Windows).
    /// </summary>
    public static PluginArtifactCache Resolve(string? commandLineRoot) =>
        new(commandLineRoot is { Length: > 0 } ? commandLineRoot
            : Environment.GetEnvironmentVariable(RootVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : DefaultRoot());

    /// <summary>The complete folder for one version (<paramref name="eTag"/>) of the object.</summary>
    public string EntryFolder(S3ObjectUri uri, string eTag) => Path.Combine(ObjectFolder(uri), SafeETag(eTag));

    /// <summary>A new, empty working folder next to the entry folders of <paramref name="uri"/>, on the same file system (so the final rename is atomic).</summary>
    public string CreateWorkingFolder(S3ObjectUri uri) =>
        Directory.CreateDirectory(Path.Combine(ObjectFolder(uri), TemporaryPrefix + Guid.NewGuid().ToString("N"))).FullName;

    /// <summary>
    /// Moves a finished <paramref name="workingFolder"/> to <paramref name="entryFolder"/>. When another worker got there
    /// first, its (identical) folder is kept and ours removed.
    /// </summary>
    public static void Commit(string workingFolder, string entryFolder)
    {
        try
        {
            Directory.Move(workingFolder, entryFolder);
        }
        catch (IOException) when (Directory.Exists(entryFolder))
        {
            DeleteQuietly(workingFolder);
        }
    }

    /// <summary>Removes a working folder or file left by a failed attempt; a leftover is harmless, so failures are ignored.</summary>
    public static void DeleteQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temporary name never counts as a complete entry, so what stays behind does no harm.
        }
    }

    private string ObjectFolder(S3ObjectUri uri) => Path.Combine(RootDirectory, SafeName(uri.BucketName), SafeKey(uri.Key));

    // Keys may hold '/', spaces and characters some file systems refuse: keep the readable part, and add a hash of the
    // exact key so that "a/b.zip" and "a_b.zip" never share a folder.
    private static string SafeKey(string key)
    {
        var readable = SafeName(key.Length > 80 ? key[^80..] : key);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12];
        return $"{readable}-{hash}";
    }

    private static string SafeETag(string eTag)
    {
        var name = SafeName(eTag.Trim('"'));
        return name.Length == 0 ? "no-etag" : name;
    }

    private static string SafeName(string value) =>
        new(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').ToArray().AsSpan().TrimStart('.'));

    private static string DefaultRoot()
    {
        if (OperatingSystem.IsWindows())
        {
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "letsdata", "plugins");
        }

        var xdgCache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (xdgCache is { Length: > 0 } && Path.IsPathRooted(xdgCache))
        {
            return Path.Combine(xdgCache, "letsdata", "plugins");
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        // Without a home, this user's private working folder: a shared temp folder would let others plant a plugin.
        return home.Length > 0
            ? Path.Combine(home, ".cache", "letsdata", "plugins")
            : Path.Combine(Confinement.PrivateWorkFolder.Root, "plugins");
    }
}

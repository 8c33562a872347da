namespace LetsData.Runtime.Confinement;

/// <summary>
/// The worker's working folder for shadow copies of plugins and data-task homes, private to the user running it:
/// <c>$XDG_RUNTIME_DIR/letsdata</c> when that is this user's own, else <c>letsdata-&lt;uid&gt;</c> under the system
/// temp folder. A folder another user created first, or one they could write into, is refused rather than used: they
/// could swap the plugin between the copy and the load.
/// </summary>
public static class PrivateWorkFolder
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly Lazy<string> Default = new(() => Open(DefaultLocation()));

    /// <summary>This user's folder, created 0700 on first use and checked for owner and mode.</summary>
    /// <exception cref="IOException">The folder exists but belongs to someone else, is a link, or others can use it.</exception>
    public static string Root => Default.Value;

    /// <summary>Creates (0700) or checks <paramref name="folder"/> as a private folder of this user; returns its full path.</summary>
    /// <exception cref="IOException">It belongs to someone else, is a symbolic link or not a folder, or others can use it.</exception>
    public static string Open(string folder)
    {
        folder = Path.GetFullPath(folder);
        if (OperatingSystem.IsWindows())
        {
            // The default temp folder is per user on Windows; ACLs are not checked here.
            Directory.CreateDirectory(folder);
            return folder;
        }

        Directory.CreateDirectory(folder, OwnerOnly);
        if (Refusal(folder) is { } reason)
        {
            throw new IOException($"the working folder {folder} {reason}; remove it (it holds nothing that must be kept) or set {RuntimeDirVariable} to a folder of your own");
        }

        return folder;
    }

    /// <summary>Why <paramref name="folder"/> is not private to this user; null when it is.</summary>
    public static string? Refusal(string folder)
    {
        var info = new DirectoryInfo(folder);
        if (info.LinkTarget is not null)
        {
            return "is a symbolic link";
        }

        if (!info.Exists)
        {
            return "is not a folder";
        }

        if (FileSystemFacts.OwnerOf(folder) is { } owner && owner != FileSystemFacts.EffectiveUserId)
        {
            return $"belongs to user id {owner}, not to this user ({FileSystemFacts.EffectiveUserId})";
        }

        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = File.GetUnixFileMode(folder);
        return (mode & GroupOrOther) != 0 ? $"can be used by other users (mode {Convert.ToString((int)mode, 8)}, 700 expected)" : null;
    }

    private const string RuntimeDirVariable = "XDG_RUNTIME_DIR";

    private static string DefaultLocation()
    {
        if (Environment.GetEnvironmentVariable(RuntimeDirVariable) is { Length: > 0 } runtimeDir && Path.IsPathRooted(runtimeDir)
            && Directory.Exists(runtimeDir) && Refusal(runtimeDir) is null)
        {
            return Path.Combine(runtimeDir, "letsdata");
        }

        var user = FileSystemFacts.EffectiveUserId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? Environment.UserName;
        return Path.Combine(Path.GetTempPath(), $"letsdata-{user}");
    }
}

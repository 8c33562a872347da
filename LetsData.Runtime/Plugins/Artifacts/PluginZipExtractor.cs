using System.IO.Compression;

namespace LetsData.Runtime.Plugins.Artifacts;

/// <summary>
/// Unpacks a plugin zip into an empty folder, refusing what could harm the machine: entries that would land outside the
/// folder (<c>..</c> segments, absolute or drive-rooted paths) and more entries or bytes than <see cref="PluginZipLimits"/>.
/// </summary>
public static class PluginZipExtractor
{
    /// <summary>Unpacks <paramref name="zipFile"/> into <paramref name="destination"/> (created when missing).</summary>
    /// <param name="zipFile">The downloaded zip.</param>
    /// <param name="destination">The folder the entries go into; nothing is ever written outside it.</param>
    /// <param name="limits">Entry count and size ceilings.</param>
    /// <exception cref="UnsafePluginZipException">An entry escapes the folder, or a limit is exceeded.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip archive (or a damaged one).</exception>
    public static void Extract(string zipFile, string destination, PluginZipLimits limits)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(destination)) + Path.DirectorySeparatorChar;
        Directory.CreateDirectory(root);
        using var archive = ZipFile.OpenRead(zipFile);
        if (archive.Entries.Count > limits.MaxEntries)
        {
            throw new UnsafePluginZipException($"the zip holds {archive.Entries.Count} entries, more than the limit of {limits.MaxEntries}");
        }

        // Check every name before writing anything, so a refused zip leaves nothing behind to clean up but the folder.
        var targets = archive.Entries.Select(entry => (Entry: entry, Path: TargetPath(root, entry.FullName))).ToList();
        var duplicate = targets.Where(t => !IsFolder(t.Entry)).GroupBy(t => t.Path).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            // Which copy would win depends on the unpacker: refuse rather than load a plugin nobody can predict.
            throw new UnsafePluginZipException($"the zip holds '{duplicate.First().Entry.FullName}' more than once");
        }

        var declared = targets.Sum(t => t.Entry.Length);
        if (declared > limits.MaxUncompressedBytes)
        {
            throw new UnsafePluginZipException(TooLarge(limits));
        }

        long written = 0;
        foreach (var (entry, path) in targets)
        {
            if (IsFolder(entry))
            {
                Directory.CreateDirectory(path);
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var input = entry.Open();
            using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            // The sizes in the zip's directory are only claims: count what is really unpacked.
            written = CopyWithin(input, output, written, limits);
        }
    }

    private static bool IsFolder(ZipArchiveEntry entry) => entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\');

    private static string TargetPath(string root, string entryName)
    {
        var name = entryName.Replace('\\', '/');
        if (name.Length == 0 || name.StartsWith('/') || (name.Length >= 2 && name[1] == ':') || name.Split('/').Any(s => s == ".."))
        {
            throw new UnsafePluginZipException($"the zip entry '{entryName}' points outside the plugin folder (absolute path or '..')");
        }

        var path = Path.GetFullPath(Path.Combine(root, name));
        // Belt and braces against anything the checks above did not foresee (e.g. a platform's own path rules).
        if (!path.StartsWith(root, StringComparison.Ordinal) && path + Path.DirectorySeparatorChar != root)
        {
            throw new UnsafePluginZipException($"the zip entry '{entryName}' points outside the plugin folder");
        }

        return path;
    }

    private static long CopyWithin(Stream input, Stream output, long written, PluginZipLimits limits)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            written += read;
            if (written > limits.MaxUncompressedBytes)
            {
                throw new UnsafePluginZipException(TooLarge(limits));
            }

            output.Write(buffer, 0, read);
        }

        return written;
    }

    private static string TooLarge(PluginZipLimits limits) =>
        $"the zip unpacks to more than the limit of {limits.MaxUncompressedBytes:N0} bytes";
}

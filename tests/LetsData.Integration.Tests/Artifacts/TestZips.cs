using System.IO.Compression;
using System.Text;

namespace LetsData.Integration.Tests.Artifacts;

/// <summary>Zips built for the tests: entry names as given (unsafe ones included), small text contents.</summary>
internal static class TestZips
{
    /// <summary>A fake plugin folder: enough files for the layout rules (nothing here is ever loaded).</summary>
    public static (string Name, string Text)[] FakePlugin(string name, string folder = "") =>
    [
        ($"{folder}{name}.dll", "not really an assembly"),
        ($"{folder}{name}.deps.json", "{}"),
        ($"{folder}{name}.Dependency.dll", "a private dependency"),
    ];

    public static string Write(string path, params (string Name, string Text)[] entries)
    {
        using var file = File.Create(path);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, text) in entries)
        {
            var entry = archive.CreateEntry(name);
            using var stream = entry.Open();
            stream.Write(Encoding.UTF8.GetBytes(text));
        }

        return path;
    }

    /// <summary>A zip of every file under <paramref name="folder"/>, inside a top folder named <paramref name="topFolder"/> (or at the root when empty).</summary>
    public static string WriteFolder(string path, string folder, string topFolder)
    {
        using var file = File.Create(path);
        using var archive = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var source in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(folder, source).Replace('\\', '/');
            archive.CreateEntryFromFile(source, topFolder.Length == 0 ? relative : $"{topFolder}/{relative}");
        }

        return path;
    }
}

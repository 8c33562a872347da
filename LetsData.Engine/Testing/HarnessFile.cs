using System.Text;

namespace LetsData.Runtime.Testing;

/// <summary>A file handed to the test harness: its file type, its name and its bytes (gzip is detected and decompressed).</summary>
public sealed record HarnessFile(string FileType, string FileName, ReadOnlyMemory<byte> Content)
{
    /// <summary>A file whose content is <paramref name="text"/> encoded as UTF-8.</summary>
    public static HarnessFile FromText(string fileType, string fileName, string text) =>
        new(fileType, fileName, Encoding.UTF8.GetBytes(text));

    /// <summary>A file read from disk; the file name is the path's file name.</summary>
    public static HarnessFile FromPath(string fileType, string path) =>
        new(fileType, Path.GetFileName(path), File.ReadAllBytes(path));
}

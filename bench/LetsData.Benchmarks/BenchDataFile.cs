using System.Diagnostics;
using System.Globalization;

namespace LetsData.Benchmarks;

/// <summary>A generated input file and what it holds once decompressed, checked against every run's counts.</summary>
internal sealed record BenchDataFile(string Path, long FileBytes, long Records, long ContentBytes, string Origin)
{
    public string FileName => System.IO.Path.GetFileName(Path);
    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public string Describe(string root) =>
        $"{System.IO.Path.GetRelativePath(root, Path)}: {FileBytes / Throughput.BytesPerMb:F1} MB on disk, "
        + $"{ContentBytes / Throughput.BytesPerMb:F1} MB content, {Records:N0} records of {ContentBytes / (double)Records:F0} B on average ({Origin})";

    /// <summary>
    /// Returns the cached file when it and its sidecar (record and byte counts) exist; otherwise writes it with
    /// <paramref name="write"/>, which returns (records, content bytes). Files are written under a temporary name and
    /// renamed, so an interrupted generation is never mistaken for a complete one.
    /// </summary>
    public static BenchDataFile GetOrCreate(string path, Func<Stream, (long Records, long ContentBytes)> write)
    {
        var sidecar = path + ".counts";
        if (File.Exists(path) && TryReadSidecar(sidecar, out var cachedRecords, out var cachedBytes))
        {
            return new BenchDataFile(path, new FileInfo(path).Length, cachedRecords, cachedBytes, "cached");
        }

        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        Console.Error.Write($"  generating {path} ... ");
        var stopwatch = Stopwatch.StartNew();
        var temporary = path + ".tmp";
        long records, contentBytes;
        using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            (records, contentBytes) = write(output);
        }

        File.Move(temporary, path, overwrite: true);
        File.WriteAllText(sidecar, string.Create(CultureInfo.InvariantCulture, $"{records}\n{contentBytes}\n"));
        Console.Error.WriteLine($"{stopwatch.Elapsed.TotalSeconds:F1} s");
        return new BenchDataFile(path, new FileInfo(path).Length, records, contentBytes,
            $"generated in {stopwatch.Elapsed.TotalSeconds:F1} s");
    }

    private static bool TryReadSidecar(string sidecar, out long records, out long contentBytes)
    {
        records = contentBytes = 0;
        if (!File.Exists(sidecar))
        {
            return false;
        }

        var lines = File.ReadAllLines(sidecar);
        return lines.Length >= 2
            && long.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out records)
            && long.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out contentBytes);
    }
}

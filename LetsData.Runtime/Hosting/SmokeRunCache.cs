using System.Globalization;
using System.IO.Hashing;
using System.Text;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// What a smoke run is tried on: the plugin build (a hash of its folder's files), the dataset (its file, its manifest
/// and the first task's input files by size and time) and the worker build. A pass of the same three need not be
/// repeated: nothing the smoke run could see has changed. The hash is XxHash128, not a cryptographic one: the smoke
/// run is a functional check, not a fence (the policy scan and the confinement always run), and start-up is the point
/// (no crypto library to load).
/// </summary>
internal sealed record SmokeRunKey(string PluginBuild, string Dataset, string Worker)
{
    /// <summary>The key of <paramref name="pluginAssembly"/> (its folder is hashed) and the dataset as loaded.</summary>
    public static SmokeRunKey Of(string pluginAssembly, string datasetFile, Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks) =>
        new(HashFolder(Path.GetDirectoryName(Path.GetFullPath(pluginAssembly))!), HashDataset(datasetFile, dataset, tasks),
            typeof(SmokeRunKey).Assembly.ManifestModule.ModuleVersionId.ToString("N"));

    /// <summary>Every file under <paramref name="folder"/>, by relative path and content: a rebuilt plugin changes it.</summary>
    internal static string HashFolder(string folder)
    {
        var hash = new XxHash128();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => (Relative: Path.GetRelativePath(folder, f).Replace('\\', '/'), Full: f))
            .OrderBy(f => f.Relative, StringComparer.Ordinal);
        var buffer = new byte[64 * 1024];
        foreach (var (relative, full) in files)
        {
            AppendText(hash, relative);
            using var stream = File.OpenRead(full);
            AppendText(hash, stream.Length.ToString(CultureInfo.InvariantCulture));
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                hash.Append(buffer.AsSpan(0, read));
            }
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    // The first task's files are what the smoke run reads; a local one is known by size and time (hashing it would
    // cost what the smoke run saves). Inputs elsewhere (S3) are known by name only.
    private static string HashDataset(string datasetFile, Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks)
    {
        var hash = new XxHash128();
        hash.Append(File.ReadAllBytes(datasetFile));
        AppendText(hash, dataset.ManifestText);
        foreach (var file in tasks.Count == 0 ? [] : tasks[0].Files)
        {
            AppendText(hash, file.FileType ?? "");
            AppendText(hash, file.FileName);
            if (dataset.Read.LocalFolder is { } folder && new FileInfo(Path.Combine(folder, file.FileName)) is { Exists: true } info)
            {
                AppendText(hash, info.Length.ToString(CultureInfo.InvariantCulture));
                AppendText(hash, info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture));
            }
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static void AppendText(XxHash128 hash, string text)
    {
        hash.Append(Encoding.UTF8.GetBytes(text));
        hash.Append([0]); // a separator: ("ab", "c") and ("a", "bc") differ
    }
}

/// <summary>A remembered pass: when, and what the smoke run gave.</summary>
internal sealed record SmokeRunPass(DateTimeOffset PassedAt, string Description);

/// <summary>
/// The last smoke run that passed, remembered in the dataset's state folder (<see cref="FileName"/>), so that running the
/// same plugin build on the same dataset again skips it (<c>--revalidate</c> forces it). One entry: a new build or a
/// changed dataset replaces it.
/// </summary>
internal sealed class SmokeRunCache(string stateDirectory)
{
    public const string FileName = "smoke-run-passed.txt";

    private string FilePath => Path.Combine(stateDirectory, FileName);

    /// <summary>The remembered pass of <paramref name="key"/>, or null with why the smoke run is due (<paramref name="reason"/>).</summary>
    public SmokeRunPass? Find(SmokeRunKey key, out string reason)
    {
        Dictionary<string, string> entry;
        try
        {
            if (!File.Exists(FilePath))
            {
                reason = "no pass remembered";
                return null;
            }

            // "name=value" lines: read at every start, so plain text rather than JSON (no serializer code to JIT).
            entry = File.ReadAllLines(FilePath).Select(line => line.Split('=', 2)).Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            reason = $"the remembered pass ({FilePath}) is unreadable: {e.Message}";
            return null;
        }

        if (!entry.TryGetValue("passedAt", out var passedAtText)
            || !DateTimeOffset.TryParse(passedAtText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var passedAt))
        {
            reason = $"the remembered pass ({FilePath}) is unreadable: no passedAt";
            return null;
        }

        var changed = new List<string>();
        if (entry.GetValueOrDefault("pluginBuild") != key.PluginBuild)
        {
            changed.Add("plugin build");
        }

        if (entry.GetValueOrDefault("dataset") != key.Dataset)
        {
            changed.Add("dataset");
        }

        if (entry.GetValueOrDefault("worker") != key.Worker)
        {
            changed.Add("worker build");
        }

        if (changed.Count > 0)
        {
            reason = $"{string.Join(" and ", changed)} changed since the last pass";
            return null;
        }

        reason = "";
        return new SmokeRunPass(passedAt, entry.GetValueOrDefault("result") ?? "");
    }

    /// <summary>Remembers a pass; best effort (a state folder that cannot be written only means the next run smoke-runs again).</summary>
    public void Record(SmokeRunKey key, DateTimeOffset passedAt, string description)
    {
        var entry = string.Join('\n',
            $"pluginBuild={key.PluginBuild}",
            $"dataset={key.Dataset}",
            $"worker={key.Worker}",
            $"passedAt={passedAt.ToString("O", CultureInfo.InvariantCulture)}",
            $"result={description.ReplaceLineEndings(" ")}");
        try
        {
            Directory.CreateDirectory(stateDirectory);
            var temporary = FilePath + ".tmp";
            File.WriteAllText(temporary, entry + "\n");
            File.Move(temporary, FilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not remembered: the next run smoke-runs again.
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// What a smoke run is tried on: the plugin build (a hash of its folder's files), the dataset (its file, its manifest
/// and the first task's input files by size and time) and the worker build. A pass of the same three need not be
/// repeated: nothing the smoke run could see has changed.
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
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
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
                hash.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    // The first task's files are what the smoke run reads; a local one is known by size and time (hashing it would
    // cost what the smoke run saves). Inputs elsewhere (S3) are known by name only.
    private static string HashDataset(string datasetFile, Dataset dataset, IReadOnlyList<DataTaskDefinition> tasks)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(File.ReadAllBytes(datasetFile));
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

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AppendText(IncrementalHash hash, string text)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(text));
        hash.AppendData([0]); // a separator: ("ab", "c") and ("a", "bc") differ
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
    public const string FileName = "smoke-run-passed.json";

    private string FilePath => Path.Combine(stateDirectory, FileName);

    /// <summary>The remembered pass of <paramref name="key"/>, or null with why the smoke run is due (<paramref name="reason"/>).</summary>
    public SmokeRunPass? Find(SmokeRunKey key, out string reason)
    {
        JsonNode? entry;
        try
        {
            entry = File.Exists(FilePath) ? JsonNode.Parse(File.ReadAllText(FilePath)) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            reason = $"the remembered pass ({FilePath}) is unreadable: {e.Message}";
            return null;
        }

        if (entry is null)
        {
            reason = "no pass remembered";
            return null;
        }

        var changed = new List<string>();
        if ((string?)entry["pluginBuild"] != key.PluginBuild)
        {
            changed.Add("plugin build");
        }

        if ((string?)entry["dataset"] != key.Dataset)
        {
            changed.Add("dataset");
        }

        if ((string?)entry["worker"] != key.Worker)
        {
            changed.Add("worker build");
        }

        if (changed.Count > 0 || entry["passedAt"] is null)
        {
            reason = $"{string.Join(" and ", changed)} changed since the last pass";
            return null;
        }

        reason = "";
        return new SmokeRunPass(DateTimeOffset.Parse((string)entry["passedAt"]!, CultureInfo.InvariantCulture), (string?)entry["result"] ?? "");
    }

    /// <summary>Remembers a pass; best effort (a state folder that cannot be written only means the next run smoke-runs again).</summary>
    public void Record(SmokeRunKey key, DateTimeOffset passedAt, string description)
    {
        var entry = new JsonObject
        {
            ["pluginBuild"] = key.PluginBuild,
            ["dataset"] = key.Dataset,
            ["worker"] = key.Worker,
            ["passedAt"] = passedAt.ToString("O", CultureInfo.InvariantCulture),
            ["result"] = description,
        };
        try
        {
            Directory.CreateDirectory(stateDirectory);
            var temporary = FilePath + ".tmp";
            File.WriteAllText(temporary, entry.ToJsonString());
            File.Move(temporary, FilePath, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not remembered: the next run smoke-runs again.
        }
    }
}

using System.Text.Json;

namespace LetsData.Runtime.Plugins;

/// <summary>
/// What a plugin's <c>.deps.json</c> declares, read as plain JSON (never through the host's resolver, which would
/// already act on it): the managed assets (runtime and runtime-specific) and the libraries with their paths.
/// </summary>
internal sealed class PluginDepsFile
{
    private PluginDepsFile(IReadOnlyList<string> managedAssets, IReadOnlyList<(string Library, string Path)> libraryPaths)
    {
        ManagedAssets = managedAssets;
        LibraryPaths = libraryPaths;
    }

    /// <summary>The relative paths of the managed assemblies the file lists (its <c>runtime</c> and runtime-specific <c>runtime</c> assets).</summary>
    public IReadOnlyList<string> ManagedAssets { get; }

    /// <summary>Every library that gives a <c>path</c>, with it.</summary>
    public IReadOnlyList<(string Library, string Path)> LibraryPaths { get; }

    /// <summary>Whether the file lists a managed assembly named <paramref name="assemblyName"/> (its file name without <c>.dll</c>).</summary>
    public bool ListsAssembly(string assemblyName) =>
        ManagedAssets.Any(asset => string.Equals(Path.GetFileNameWithoutExtension(asset), assemblyName, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads <paramref name="depsJsonPath"/>; null when it does not exist.</summary>
    /// <exception cref="JsonException">The file is not JSON.</exception>
    /// <exception cref="IOException">The file could not be read.</exception>
    public static PluginDepsFile? TryRead(string depsJsonPath)
    {
        if (!File.Exists(depsJsonPath))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(depsJsonPath),
            new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        var assets = new List<string>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("targets", out var targets) && targets.ValueKind == JsonValueKind.Object)
        {
            foreach (var target in targets.EnumerateObject().Where(t => t.Value.ValueKind == JsonValueKind.Object))
            {
                foreach (var library in target.Value.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.Object))
                {
                    if (library.Value.TryGetProperty("runtime", out var runtime) && runtime.ValueKind == JsonValueKind.Object)
                    {
                        assets.AddRange(runtime.EnumerateObject().Select(a => a.Name));
                    }

                    if (library.Value.TryGetProperty("runtimeTargets", out var runtimeTargets) && runtimeTargets.ValueKind == JsonValueKind.Object)
                    {
                        assets.AddRange(runtimeTargets.EnumerateObject()
                            .Where(a => a.Value.ValueKind == JsonValueKind.Object && a.Value.TryGetProperty("assetType", out var type)
                                && type.ValueKind == JsonValueKind.String && type.GetString() == "runtime")
                            .Select(a => a.Name));
                    }
                }
            }
        }

        var paths = new List<(string, string)>();
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("libraries", out var libraries) && libraries.ValueKind == JsonValueKind.Object)
        {
            foreach (var library in libraries.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.Object))
            {
                if (library.Value.TryGetProperty("path", out var path) && path.ValueKind == JsonValueKind.String && path.GetString() is { Length: > 0 } value)
                {
                    paths.Add((library.Name, value));
                }
            }
        }

        return new PluginDepsFile(assets, paths);
    }

    /// <summary>Whether <paramref name="relativePath"/>, taken relative to <paramref name="folder"/>, leaves it (rooted, or climbing out with <c>..</c>).</summary>
    public static bool PointsOutside(string folder, string relativePath)
    {
        if (Path.IsPathRooted(relativePath) || relativePath.StartsWith('~'))
        {
            return true;
        }

        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        var full = Path.GetFullPath(Path.Combine(root, relativePath.Replace('\\', '/')));
        return !(full + Path.DirectorySeparatorChar).StartsWith(root, StringComparison.Ordinal);
    }
}

using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// Checks a plugin folder against a <see cref="PluginPolicy"/> before any of its code is loaded: every PE file in the
/// folder and its subfolders, whatever its name (<c>*.dll</c>, <c>*.exe</c>, <c>*.DLL</c>, no extension: recognized by
/// its <c>MZ</c> header), is read as metadata only, never loaded. .NET assemblies are scanned; native PE files are
/// reported, and refused only when the <c>.deps.json</c> lists them as managed assemblies. A folder whose
/// <c>*.runtimeconfig.json</c> declares additional probing paths, or whose <c>.deps.json</c> points outside the folder,
/// is refused. The shared contract assembly is skipped: the host's copy is used, never the folder's. The result's
/// <see cref="PolicyScanResult.ManagedFiles"/> are the only files the plugin's load context may then load.
/// </summary>
public static class PluginPolicyScanner
{
    /// <summary>Scans the folder of <paramref name="pluginAssemblyPath"/>; a missing file gives an empty result (the loader reports it).</summary>
    /// <param name="pluginAssemblyPath">The plugin's main assembly.</param>
    /// <param name="policy">The fence and the reviewed exemptions.</param>
    public static PolicyScanResult Scan(string pluginAssemblyPath, PluginPolicy policy)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginAssemblyPath);
        ArgumentNullException.ThrowIfNull(policy);
        var stopwatch = Stopwatch.StartNew();
        var mainPath = Path.GetFullPath(pluginAssemblyPath);
        var refused = new List<RefusedAssembly>();
        var scanned = new List<string>();
        var allowed = new List<string>();
        if (!File.Exists(mainPath))
        {
            return new PolicyScanResult(refused, scanned, allowed, stopwatch.Elapsed);
        }

        var folder = Path.GetDirectoryName(mainPath)!;
        var deps = ReadDeps(mainPath, out var depsProblem);
        var layoutProblems = new List<string>();
        if (depsProblem is not null)
        {
            layoutProblems.Add(depsProblem);
        }

        layoutProblems.AddRange(ProbingPathProblems(folder, mainPath, deps));
        var managedAssets = ManagedAssetPaths(folder, deps);
        var managed = new List<string>();
        var native = new List<string>();
        // Every file, whatever its name: the loader reads what the .deps.json names (Evil.exe, no extension, ...),
        // and a *.DLL is not a *.dll to a case-sensitive file system.
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var outcome = ScanFile(file, file == mainPath, policy, managedAssets.Contains(file) ? DepsName(mainPath) : null);
            switch (outcome)
            {
                case FileOutcome.Skipped:
                    break;
                case FileOutcome.NativeFile:
                    native.Add(file);
                    break;
                case FileOutcome.AllowedFile(var name):
                    allowed.Add(name);
                    managed.Add(file);
                    break;
                case FileOutcome.Scanned(var name, var refusal, var isManaged):
                    scanned.Add(name);
                    if (isManaged)
                    {
                        managed.Add(file);
                    }

                    if (refusal is not null)
                    {
                        refused.Add(refusal);
                    }

                    break;
            }
        }

        return new PolicyScanResult(refused, scanned, allowed, stopwatch.Elapsed)
        {
            ManagedFiles = managed,
            NativeFiles = native,
            LayoutProblems = layoutProblems,
        };
    }

    // listedAsManagedBy: the .deps.json that names the file as a managed assembly, if it does.
    private static FileOutcome ScanFile(string file, bool isPluginAssembly, PluginPolicy policy, string? listedAsManagedBy)
    {
        var listedAsManaged = listedAsManagedBy is not null;
        var isDll = file.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        if (!isDll && !listedAsManaged && !StartsWithMz(file))
        {
            // Not a PE image (json, pdb, xml, resources...): nothing the runtime would load as code.
            return new FileOutcome.Skipped();
        }

        var bytes = File.ReadAllBytes(file);
        using var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(bytes));
        string name;
        MetadataReader? metadata = null;
        var readable = true;
        try
        {
            metadata = pe.HasMetadata ? pe.GetMetadataReader() : null;
            name = metadata is { IsAssembly: true } ? metadata.GetString(metadata.GetAssemblyDefinition().Name) : Path.GetFileNameWithoutExtension(file);
        }
        catch (BadImageFormatException)
        {
            name = Path.GetFileNameWithoutExtension(file);
            readable = false;
        }

        if (readable && metadata is null && !listedAsManaged)
        {
            // A native library: only reachable through P/Invoke, which the scan of the managed code fences.
            return new FileOutcome.NativeFile();
        }

        if (name == PluginLoader.ContractName)
        {
            return new FileOutcome.Skipped();
        }

        var entry = policy.Allow.FirstOrDefault(a => string.Equals(a.Assembly, name, StringComparison.OrdinalIgnoreCase));
        // Hashing is only needed to match an allow entry or to print one: a clean plugin is never hashed (the first
        // SHA-256 of a process loads the crypto library, which costs more than scanning a small plugin).
        var sha256 = new Lazy<string>(() => Convert.ToHexStringLower(SHA256.HashData(bytes)));
        if (entry is not null && entry.Sha256 == sha256.Value)
        {
            return new FileOutcome.AllowedFile(name);
        }

        var isAssembly = metadata is { IsAssembly: true };
        var notAssembly = listedAsManaged
            ? $"{listedAsManagedBy} lists it as a managed assembly, but it is native code or not a .NET assembly (it cannot be scanned)"
            : "native code or a file that is not a .NET assembly (it cannot be scanned)";
        var violations = isAssembly
            ? ScanAssembly(pe, metadata!, policy.Fence, name, file)
            : [new PolicyViolation(name, $"<file {Path.GetFileName(file)}>", null, notAssembly, PolicyRules.NativeCode)];
        var refusal = violations.Count > 0 || entry is not null
            ? new RefusedAssembly(name, file, sha256.Value, isPluginAssembly, violations, entry?.Sha256)
            : null;
        return new FileOutcome.Scanned(name, refusal, isAssembly);
    }

    private static IReadOnlyList<PolicyViolation> ScanAssembly(PEReader pe, MetadataReader metadata, IReadOnlyList<FencedApi> fence,
        string name, string file)
    {
        try
        {
            return AssemblyApiScanner.Scan(pe, metadata, fence, name);
        }
        catch (BadImageFormatException ex)
        {
            // Code that cannot be read cannot be shown to stay inside the fence.
            return [new PolicyViolation(name, $"<file {Path.GetFileName(file)}>", null, $"unreadable metadata or IL ({ex.Message})", PolicyRules.NativeCode)];
        }
    }

    private static bool StartsWithMz(string file)
    {
        Span<byte> header = stackalloc byte[2];
        using var stream = File.OpenRead(file);
        return stream.ReadAtLeast(header, 2, throwOnEndOfStream: false) == 2 && header[0] == (byte)'M' && header[1] == (byte)'Z';
    }

    // Only one .deps.json counts: the main assembly's, the one the loader's resolver reads.
    private static string DepsName(string mainPath) => Path.GetFileName(Path.ChangeExtension(mainPath, ".deps.json"));

    private static PluginDepsFile? ReadDeps(string mainPath, out string? problem)
    {
        problem = null;
        var path = Path.ChangeExtension(mainPath, ".deps.json");
        try
        {
            return PluginDepsFile.TryRead(path);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            problem = $"{Path.GetFileName(path)}: cannot be read, so what it makes the loader load cannot be checked ({e.Message})";
            return null;
        }
    }

    // The full paths of the files the .deps.json declares as managed assemblies.
    private static HashSet<string> ManagedAssetPaths(string folder, PluginDepsFile? deps) =>
        deps is null
            ? []
            : deps.ManagedAssets.Where(asset => !PluginDepsFile.PointsOutside(folder, asset))
                .Select(asset => Path.GetFullPath(Path.Combine(folder, asset.Replace('\\', '/'))))
                .ToHashSet(StringComparer.Ordinal);

    // A plugin loads from its own folder only: probing paths (runtimeconfig) or library paths (deps.json) that lead
    // elsewhere would make the loader read files the scan never saw.
    private static IEnumerable<string> ProbingPathProblems(string folder, string mainPath, PluginDepsFile? deps)
    {
        var configs = Directory.EnumerateFiles(folder, "*.runtimeconfig.json", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(folder, "*.runtimeconfig.dev.json", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal);
        foreach (var problem in configs.Select(config => RuntimeConfigProblem(folder, config)).OfType<string>())
        {
            yield return problem;
        }

        if (deps is null)
        {
            yield break;
        }

        var depsName = DepsName(mainPath);
        foreach (var (library, path) in deps.LibraryPaths.Where(l => PluginDepsFile.PointsOutside(folder, l.Path)))
        {
            yield return $"{depsName}: libraries[\"{library}\"].path is {path}, outside the plugin folder; a plugin loads only from its own folder";
        }

        foreach (var asset in deps.ManagedAssets.Where(a => PluginDepsFile.PointsOutside(folder, a)))
        {
            yield return $"{depsName}: targets: the runtime asset {asset} is outside the plugin folder; a plugin loads only from its own folder";
        }
    }

    private static string? RuntimeConfigProblem(string folder, string config)
    {
        var name = Path.GetRelativePath(folder, config);
        try
        {
            return AdditionalProbingPaths(config) is { } paths
                ? $"{name}: runtimeOptions.additionalProbingPaths declares additional probing paths ({string.Join(", ", paths)}); " +
                  "a plugin loads only from its own folder: remove them"
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException)
        {
            return $"{name}: cannot be read, so its probing paths cannot be checked ({e.Message})";
        }
    }

    // Null when the file declares none (or an empty list).
    private static string[]? AdditionalProbingPaths(string runtimeConfig)
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(runtimeConfig),
            new System.Text.Json.JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip });
        if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object
            || !document.RootElement.TryGetProperty("runtimeOptions", out var options)
            || options.ValueKind != System.Text.Json.JsonValueKind.Object
            || !options.TryGetProperty("additionalProbingPaths", out var paths))
        {
            return null;
        }

        var values = paths.ValueKind == System.Text.Json.JsonValueKind.Array
            ? paths.EnumerateArray().Select(p => p.ToString()).ToArray()
            : [paths.ToString()];
        return values.Length == 0 ? null : values;
    }

    private abstract record FileOutcome
    {
        public sealed record Skipped : FileOutcome;

        public sealed record AllowedFile(string Name) : FileOutcome;

        public sealed record NativeFile : FileOutcome;

        public sealed record Scanned(string Name, RefusedAssembly? Refusal, bool IsManaged) : FileOutcome;
    }
}

using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// Checks a plugin folder against a <see cref="PluginPolicy"/> before any of its code is loaded: every <c>*.dll</c> in
/// the folder (and its subfolders: satellite and runtime-specific assemblies load from there too) is read as metadata
/// only, never loaded. The shared contract assembly is skipped: the host's copy is used, never the folder's.
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

        var files = Directory.EnumerateFiles(Path.GetDirectoryName(mainPath)!, "*.dll", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var outcome = ScanFile(file, file == mainPath, policy);
            switch (outcome)
            {
                case FileOutcome.Skipped:
                    break;
                case FileOutcome.AllowedFile(var name):
                    allowed.Add(name);
                    break;
                case FileOutcome.Scanned(var name, var refusal):
                    scanned.Add(name);
                    if (refusal is not null)
                    {
                        refused.Add(refusal);
                    }

                    break;
            }
        }

        return new PolicyScanResult(refused, scanned, allowed, stopwatch.Elapsed);
    }

    private static FileOutcome ScanFile(string file, bool isPluginAssembly, PluginPolicy policy)
    {
        var bytes = File.ReadAllBytes(file);
        using var pe = new PEReader(ImmutableCollectionsMarshal.AsImmutableArray(bytes));
        string name;
        MetadataReader? metadata = null;
        try
        {
            metadata = pe.HasMetadata ? pe.GetMetadataReader() : null;
            name = metadata is { IsAssembly: true } ? metadata.GetString(metadata.GetAssemblyDefinition().Name) : Path.GetFileNameWithoutExtension(file);
        }
        catch (BadImageFormatException)
        {
            name = Path.GetFileNameWithoutExtension(file);
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

        var violations = metadata is { IsAssembly: true }
            ? ScanAssembly(pe, metadata, policy.Fence, name, file)
            : [new PolicyViolation(name, $"<file {Path.GetFileName(file)}>", null, "native code or a file that is not a .NET assembly (it cannot be scanned)", PolicyRules.NativeCode)];
        var refusal = violations.Count > 0 || entry is not null
            ? new RefusedAssembly(name, file, sha256.Value, isPluginAssembly, violations, entry?.Sha256)
            : null;
        return new FileOutcome.Scanned(name, refusal);
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

    private abstract record FileOutcome
    {
        public sealed record Skipped : FileOutcome;

        public sealed record AllowedFile(string Name) : FileOutcome;

        public sealed record Scanned(string Name, RefusedAssembly? Refusal) : FileOutcome;
    }
}

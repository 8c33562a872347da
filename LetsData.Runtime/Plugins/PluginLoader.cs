using System.Diagnostics;
using System.Reflection;
using LetsData.Interfaces.Documents;

namespace LetsData.Runtime.Plugins;

/// <summary>
/// Loads a customer plugin (<c>Name/Name.dll</c> + <c>Name.deps.json</c> + private dependencies) into its
/// own collectible load context. Only LetsData.Interfaces and the .NET shared framework are shared with the host;
/// every other dependency is private to the plugin, so two plugins can use two versions of one library, and the
/// worker's own assemblies (AWSSDK.*, Microsoft.Extensions.*, letsdata) are out of the plugin's reach: a reference
/// to one the plugin does not ship fails to load (see <see cref="PluginLoadContext"/>).
/// </summary>
public sealed class PluginLoader
{
    private static readonly Assembly HostContract = typeof(IDocument).Assembly;

    internal static string ContractName { get; } = HostContract.GetName().Name!;

    internal static Version HostContractVersion { get; } = HostContract.GetName().Version!;

    private PluginLoader()
    {
    }

    /// <summary>Loads one plugin into a new collectible load context.</summary>
    /// <param name="pluginAssemblyPath">The plugin's main assembly; relative paths are resolved against the current directory.</param>
    /// <exception cref="PluginLoadException">
    /// The file or its .deps.json is missing, it is not a .NET assembly, it was built against a newer
    /// LetsData.Interfaces than this runtime's, or it could not be loaded.
    /// </exception>
    public static LoadedPlugin Load(string pluginAssemblyPath) => Load(pluginAssemblyPath, loadableFiles: null);

    /// <summary>
    /// Loads one plugin into a new collectible load context that loads only <paramref name="loadableFiles"/>: pass the
    /// files the policy scan read (<see cref="Policy.PolicyScanResult.ManagedFiles"/>), so nothing unscanned runs.
    /// </summary>
    /// <param name="pluginAssemblyPath">The plugin's main assembly; relative paths are resolved against the current directory.</param>
    /// <param name="loadableFiles">
    /// Full paths of the managed files the plugin's context may load (its main assembly among them); any other file
    /// fails to load. Null: any file of the plugin's folder that its <c>.deps.json</c> resolves.
    /// </param>
    /// <exception cref="PluginLoadException">See <see cref="Load(string)"/>; also when the main assembly is not one of <paramref name="loadableFiles"/>.</exception>
    public static LoadedPlugin Load(string pluginAssemblyPath, IReadOnlyCollection<string>? loadableFiles)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pluginAssemblyPath);
        var stopwatch = Stopwatch.StartNew();
        var path = Path.GetFullPath(pluginAssemblyPath);

        EnsurePluginFilesExist(path);
        var contractVersion = CheckContractReference(path);

        PluginLoadContext context;
        try
        {
            // The contract is shared from wherever the host's copy lives (not necessarily the default context, e.g.
            // when the host itself runs inside a test runner's context).
            context = new PluginLoadContext(path, HostContract, loadableFiles);
        }
        catch (InvalidOperationException ex)
        {
            throw new PluginLoadException(path, null, $"{Path.GetFileName(Path.ChangeExtension(path, ".deps.json"))} could not be read: {ex.Message}", ex);
        }

        try
        {
            var assembly = LoadMainAssembly(context, path);
            EnsureContractIsShared(context, assembly, path);
            return new LoadedPlugin(path, context, assembly, contractVersion, stopwatch.Elapsed);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    private static void EnsurePluginFilesExist(string path)
    {
        if (Directory.Exists(path))
        {
            // A plugin folder holds one <Name>.deps.json: the one for its main assembly.
            var mainAssemblies = Directory.EnumerateFiles(path, "*.deps.json")
                .Select(depsJson => Path.Combine(path, Path.GetFileName(depsJson)[..^".deps.json".Length] + ".dll"))
                .Where(File.Exists)
                .ToList();
            var hint = mainAssemblies.Count == 1 ? $", e.g. {mainAssemblies[0]}" : "";
            throw new PluginLoadException(path, null, $"this is a folder; give the plugin's main assembly{hint}");
        }

        if (!File.Exists(path))
        {
            throw new PluginLoadException(path, null, $"plugin assembly not found ({DescribeFolder(path)})");
        }

        var depsJson = Path.ChangeExtension(path, ".deps.json");
        if (!File.Exists(depsJson))
        {
            // Without it the plugin's private dependencies cannot be resolved, and the failure would
            // only show up later as a missing-assembly error in the middle of a task.
            throw new PluginLoadException(path, null,
                $"{Path.GetFileName(depsJson)} is missing next to the plugin assembly; deploy the plugin's whole " +
                "build output folder (build the plugin project with <EnableDynamicLoading>true</EnableDynamicLoading>)");
        }
    }

    private static string DescribeFolder(string path)
    {
        var folder = Path.GetDirectoryName(path);
        if (folder is null || !Directory.Exists(folder))
        {
            return $"the folder {folder} does not exist";
        }

        var assemblies = Directory.EnumerateFiles(folder, "*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(10).ToList();
        return assemblies.Count == 0
            ? $"the folder {folder} holds no .dll"
            : $"the folder {folder} holds: {string.Join(", ", assemblies)}";
    }

    private static Version CheckContractReference(string path)
    {
        PluginAssemblyMetadata metadata;
        try
        {
            metadata = PluginAssemblyMetadata.Read(path, ContractName);
        }
        catch (BadImageFormatException ex)
        {
            throw new PluginLoadException(path, null, $"not a .NET assembly: {ex.Message}", ex);
        }

        if (metadata.AssemblyName == ContractName)
        {
            throw new PluginLoadException(path, null,
                $"this is the {ContractName} contract assembly, not a plugin; give the plugin's own assembly");
        }

        var referenced = metadata.ReferencedContractVersion
            ?? throw new PluginLoadException(path, null,
                $"the assembly does not reference {ContractName}, so it cannot implement any LetsData interface; " +
                $"give the plugin's main assembly (the one whose classes implement the {ContractName} interfaces)");

        if (referenced > HostContractVersion)
        {
            throw new PluginLoadException(path, null,
                $"built against {ContractName} {referenced}, but this runtime has {ContractName} {HostContractVersion}; " +
                $"upgrade the runtime, or rebuild the plugin against {ContractName} {HostContractVersion} or older");
        }

        return referenced;
    }

    private static Assembly LoadMainAssembly(PluginLoadContext context, string path)
    {
        try
        {
            return context.LoadMainAssembly();
        }
        catch (Exception ex) when (ex is IOException or BadImageFormatException)
        {
            throw new PluginLoadException(path, null, $"the assembly could not be loaded: {ex.Message}", ex);
        }
    }

    // The context hands out the host's contract by construction; this guards that rule. A private copy would make the
    // plugin's classes implement interfaces the host does not know, and fail with an InvalidCastException deep inside
    // a task. Check it here instead.
    private static void EnsureContractIsShared(PluginLoadContext context, Assembly assembly, string path)
    {
        var reference = assembly.GetReferencedAssemblies().First(r => r.Name == ContractName);
        Assembly resolved;
        try
        {
            resolved = context.LoadFromAssemblyName(reference);
        }
        catch (Exception ex) when (ex is FileLoadException or FileNotFoundException or BadImageFormatException)
        {
            throw new PluginLoadException(path, null, $"{ContractName} {reference.Version} could not be resolved: {ex.Message}", ex);
        }

        if (resolved != HostContract)
        {
            throw new PluginLoadException(path, null,
                $"{ContractName} resolved to a private copy ({resolved.Location}) instead of the runtime's; " +
                $"reference {ContractName} with Private=\"false\" (or ExcludeAssets=\"runtime\") in the plugin project");
        }
    }
}

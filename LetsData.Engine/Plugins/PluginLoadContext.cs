using System.Collections.Frozen;
using System.Reflection;
using System.Runtime.Loader;

namespace LetsData.Runtime.Plugins;

/// <summary>
/// The collectible load context one plugin runs in. It reaches exactly three things: the host's copy of the contract
/// (LetsData.Interfaces), the assemblies of the .NET shared framework (from the default context), and the files its
/// own <c>.deps.json</c> resolves inside its own folder. Any other name fails to load: it never falls back to the
/// default context, which holds the worker's own assemblies (letsdata, AWSSDK.*, Microsoft.Extensions.*) and, through
/// them, the worker's credentials.
/// </summary>
internal sealed class PluginLoadContext : AssemblyLoadContext
{
    /// <summary>The simple names of the shared framework's assemblies (Microsoft.NETCore.App), as the default context resolves them.</summary>
    private static readonly Lazy<FrozenSet<string>> FrameworkAssemblyNames = new(ReadFrameworkAssemblyNames);

    private readonly Assembly _contract;
    private readonly string _folder;
    private readonly AssemblyDependencyResolver _resolver;
    private readonly FrozenSet<string>? _loadableFiles;
    private readonly Lazy<PluginDepsFile?> _deps;

    /// <param name="mainAssemblyPath">The plugin's main assembly (full path); its folder holds the plugin and its <c>.deps.json</c>.</param>
    /// <param name="contract">The host's contract assembly, the only non-framework assembly the plugin shares with the host.</param>
    /// <param name="loadableFiles">
    /// The managed files this context may load, by full path (the files the policy scan read); null: any file under
    /// the plugin's folder that its <c>.deps.json</c> resolves.
    /// </param>
    /// <exception cref="InvalidOperationException">The <c>.deps.json</c> could not be read.</exception>
    public PluginLoadContext(string mainAssemblyPath, Assembly contract, IEnumerable<string>? loadableFiles)
        : base($"LetsData plugin {Path.GetFileNameWithoutExtension(mainAssemblyPath)}", isCollectible: true)
    {
        MainAssemblyPath = mainAssemblyPath;
        _contract = contract;
        _folder = Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(mainAssemblyPath)!) + Path.DirectorySeparatorChar;
        _resolver = new AssemblyDependencyResolver(mainAssemblyPath);
        _loadableFiles = loadableFiles?.Select(Path.GetFullPath).ToFrozenSet(PathComparer);
        _deps = new Lazy<PluginDepsFile?>(() => ReadDeps(Path.ChangeExtension(mainAssemblyPath, ".deps.json")));
    }

    /// <summary>The plugin's main assembly.</summary>
    public string MainAssemblyPath { get; }

    private static StringComparison PathComparison => OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static StringComparer PathComparer => StringComparer.FromComparison(PathComparison);

    /// <summary>Loads the plugin's main assembly, under the same rules as its dependencies.</summary>
    /// <exception cref="FileNotFoundException">The file is outside the plugin folder or was not scanned.</exception>
    public Assembly LoadMainAssembly()
    {
        EnsureLoadable(MainAssemblyPath, Path.GetFileNameWithoutExtension(MainAssemblyPath));
        return LoadFromAssemblyPath(MainAssemblyPath);
    }

    /// <summary>Whether the default context resolves <paramref name="name"/> from the .NET shared framework.</summary>
    public static bool IsFrameworkAssembly(string name) => FrameworkAssemblyNames.Value.Contains(name);

    /// <inheritdoc />
    /// <remarks>Never returns null: null would send the name on to the default context, i.e. to the worker's assemblies.</remarks>
    protected override Assembly Load(AssemblyName assemblyName)
    {
        var name = assemblyName.Name;
        if (name is null)
        {
            throw NotVisible(assemblyName, "it has no name");
        }

        if (string.Equals(name, _contract.GetName().Name, StringComparison.OrdinalIgnoreCase))
        {
            return _contract;
        }

        if (IsFrameworkAssembly(name))
        {
            return Default.LoadFromAssemblyName(assemblyName);
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null && _deps.Value?.ListsAssembly(name) == true)
        {
            // The plugin's own dependency, deployed without its file: a plain "not found", as for any missing file.
            throw new FileNotFoundException(
                $"Could not load {assemblyName.FullName} for plugin {Path.GetFileName(MainAssemblyPath)}: its .deps.json lists it, " +
                "but the file is not in the plugin folder.", assemblyName.FullName);
        }

        if (path is null)
        {
            throw NotVisible(assemblyName,
                "the plugin's .deps.json does not list it and it is not part of the .NET shared framework; " +
                "the worker's own assemblies are not visible to plugins: ship it in the plugin folder " +
                "(a normal PackageReference or ProjectReference, without Private=\"false\" or ExcludeAssets=\"runtime\")");
        }

        path = Path.GetFullPath(path);
        EnsureLoadable(path, name);
        return LoadFromAssemblyPath(path);
    }

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        if (path is not null && Path.GetFullPath(path).StartsWith(_folder, PathComparison))
        {
            return LoadUnmanagedDllFromPath(path);
        }

        // The operating system's own search (system libraries such as libc); the policy scan fences P/Invoke.
        return IntPtr.Zero;
    }

    private void EnsureLoadable(string path, string name)
    {
        if (!path.StartsWith(_folder, PathComparison))
        {
            throw new AssemblyRefusedException(
                $"Could not load {name} for plugin {Path.GetFileName(MainAssemblyPath)}: its .deps.json resolves it to {path}, " +
                $"outside the plugin folder {_folder}; a plugin loads only files of its own folder.", name);
        }

        if (_loadableFiles is not null && !_loadableFiles.Contains(path))
        {
            throw new AssemblyRefusedException(
                $"Could not load {name} for plugin {Path.GetFileName(MainAssemblyPath)}: {path} was not read by the policy scan " +
                "(it appeared after the scan, or is not a file the scan recognized as a .NET assembly); only scanned files load.", name);
        }
    }

    /// <summary>
    /// This context's own explanation of why an assembly did not load, found in <paramref name="exception"/> or its
    /// inner exceptions; null when the failure was not this context's refusal. The runtime reports a failed load as its
    /// own generic FileNotFoundException ("The system cannot find the file specified") and keeps the context's
    /// exception, the one that says why, only as the inner exception.
    /// </summary>
    public static string? RefusalIn(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is AssemblyRefusedException refused)
            {
                return refused.Message;
            }
        }

        return null;
    }

    private static PluginDepsFile? ReadDeps(string depsJsonPath)
    {
        try
        {
            return PluginDepsFile.TryRead(depsJsonPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private FileNotFoundException NotVisible(AssemblyName assemblyName, string why) =>
        new AssemblyRefusedException($"Could not load {assemblyName.FullName} for plugin {Path.GetFileName(MainAssemblyPath)}: {why}.", assemblyName.FullName);

    // The default context's assemblies that live in the runtime's own directory (Microsoft.NETCore.App). The worker's
    // assemblies come from its application folder, so they are never in this set, whatever their names. A
    // self-contained worker (as published) has the runtime in its application folder: there the framework's names come
    // from the runtime pack its deps file lists, never from the folder, which holds the worker's own assemblies too.
    private static FrozenSet<string> ReadFrameworkAssemblyNames()
    {
        var runtimeDirectory = Path.TrimEndingDirectorySeparator(Path.GetDirectoryName(typeof(object).Assembly.Location)!) + Path.DirectorySeparatorChar;
        var applicationDirectory = Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory) + Path.DirectorySeparatorChar;
        if (runtimeDirectory == applicationDirectory)
        {
            return RuntimePackAssemblyNames();
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (var file in trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (file.StartsWith(runtimeDirectory, StringComparison.Ordinal))
            {
                names.Add(Path.GetFileNameWithoutExtension(file));
            }
        }

        return names.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    private const string RuntimePackPrefix = "runtimepack.Microsoft.NETCore.App.Runtime";

    /// <summary>The assemblies of the Microsoft.NETCore.App runtime pack in a self-contained application's deps file.</summary>
    /// <exception cref="InvalidOperationException">No deps file lists one (no plugin could load, so this is said at once).</exception>
    internal static FrozenSet<string> RuntimePackAssemblyNames(string? depsFiles = null)
    {
        depsFiles ??= AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string ?? "";
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var depsFile in depsFiles.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Where(File.Exists))
        {
            using var deps = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(depsFile));
            if (!deps.RootElement.TryGetProperty("targets", out var targets) || targets.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                continue;
            }

            foreach (var target in targets.EnumerateObject().Where(t => t.Value.ValueKind == System.Text.Json.JsonValueKind.Object))
            {
                foreach (var library in target.Value.EnumerateObject().Where(l => l.Name.StartsWith(RuntimePackPrefix, StringComparison.OrdinalIgnoreCase)))
                {
                    if (library.Value.TryGetProperty("runtime", out var runtime) && runtime.ValueKind == System.Text.Json.JsonValueKind.Object)
                    {
                        names.UnionWith(runtime.EnumerateObject().Select(asset => Path.GetFileNameWithoutExtension(asset.Name)));
                    }
                }
            }
        }

        return names.Count > 0
            ? names.ToFrozenSet(StringComparer.OrdinalIgnoreCase)
            : throw new InvalidOperationException(
                $"the worker runs self-contained, but no deps file ({depsFiles}) lists the {RuntimePackPrefix} assemblies: plugins could not tell the framework from the worker");
    }
}

/// <summary>A load that <see cref="PluginLoadContext"/> refused, with the reason; the runtime wraps it in its own FileNotFoundException.</summary>
internal sealed class AssemblyRefusedException(string message, string fileName) : FileNotFoundException(message, fileName);

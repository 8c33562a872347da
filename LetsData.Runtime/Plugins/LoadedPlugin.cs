using System.Reflection;
using System.Runtime.Loader;

namespace LetsData.Runtime.Plugins;

/// <summary>
/// A plugin loaded into its own collectible load context: finds the classes that implement the
/// contract interfaces and creates factories for them.
/// </summary>
/// <remarks>
/// After <see cref="Unload"/> this object and the factories it created let go of the plugin's types, so
/// holding on to them does not keep the plugin in memory; plugin instances still held elsewhere do.
/// </remarks>
public sealed class LoadedPlugin : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<IReleasedOnUnload> _factories = [];
    private PluginLoadContext? _context;
    private Assembly? _assembly;
    private WeakReference? _unloadedContext;

    internal LoadedPlugin(string assemblyPath, PluginLoadContext context, Assembly assembly, Version contractVersion, TimeSpan loadTime)
    {
        AssemblyPath = assemblyPath;
        Name = Path.GetFileNameWithoutExtension(assemblyPath);
        _context = context;
        _assembly = assembly;
        ContractVersion = contractVersion;
        LoadTime = loadTime;
    }

    /// <summary>The plugin name: the assembly file name without <c>.dll</c>.</summary>
    public string Name { get; }

    /// <summary>The full path of the plugin's main assembly.</summary>
    public string AssemblyPath { get; }

    /// <summary>The plugin's main assembly.</summary>
    /// <exception cref="ObjectDisposedException">The plugin was unloaded.</exception>
    public Assembly Assembly => _assembly ?? throw UnloadedError();

    /// <summary>The LetsData.Interfaces version the plugin was built against (never newer than the runtime's).</summary>
    public Version ContractVersion { get; }

    /// <summary>How long <see cref="PluginLoader.Load(string)"/> took, checks included (for logs and metrics).</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>True once <see cref="Unload"/> or <see cref="Dispose"/> has been called.</summary>
    public bool IsUnloaded => _assembly is null;

    /// <summary>
    /// The class that implements <paramref name="contract"/>: the one named by <paramref name="className"/>
    /// (a full type name from the dataset configuration), or, when it is null or blank, the only public
    /// concrete implementation in the plugin.
    /// </summary>
    /// <exception cref="PluginLoadException">
    /// The class is not found, is not public, is abstract or an interface, does not implement the contract,
    /// or has no public parameterless constructor; scanning found no or several implementations; or a
    /// dependency of the plugin is missing.
    /// </exception>
    public Type FindImplementation(Type contract, string? className)
    {
        ArgumentNullException.ThrowIfNull(contract);
        return ImplementationFinder.Find(Assembly, AssemblyPath, contract, className);
    }

    /// <summary>Finds the implementation of <typeparamref name="T"/> (see <see cref="FindImplementation"/>) and creates a factory for it.</summary>
    public PluginInstanceFactory<T> CreateFactory<T>(string? className)
        where T : class
    {
        var type = FindImplementation(typeof(T), className);
        var factory = new PluginInstanceFactory<T>(AssemblyPath, type);
        lock (_gate)
        {
            if (IsUnloaded)
            {
                factory.Release();
                throw UnloadedError();
            }

            _factories.Add(factory);
        }

        return factory;
    }

    /// <summary>
    /// Makes <see cref="Type.GetType(string)"/> and <see cref="Assembly.Load(AssemblyName)"/> resolve in the
    /// plugin's context until the scope is disposed; wrap plugin calls in it when the plugin loads types by name.
    /// </summary>
    public AssemblyLoadContext.ContextualReflectionScope EnterContextualReflection()
    {
        var context = _context ?? throw UnloadedError();
        return context.EnterContextualReflection();
    }

    /// <summary>
    /// Starts unloading the plugin: releases the factories' instances and the plugin's types and unloads
    /// its load context. Unloading completes only once nothing references the plugin's objects any more;
    /// the returned reference (to the load context) goes dead when it has, which callers can check after
    /// a few garbage collections to detect a leaked plugin. Calling it again returns the same reference.
    /// </summary>
    public WeakReference Unload()
    {
        lock (_gate)
        {
            if (_unloadedContext is not null)
            {
                return _unloadedContext;
            }

            var context = _context!;
            _unloadedContext = new WeakReference(context, trackResurrection: true);
            foreach (var factory in _factories)
            {
                factory.Release();
            }

            _factories.Clear();
            _assembly = null;
            _context = null;
            context.Unload();
            return _unloadedContext;
        }
    }

    /// <summary>Same as <see cref="Unload"/>, without the reference.</summary>
    public void Dispose() => Unload();

    private ObjectDisposedException UnloadedError() =>
        new(nameof(LoadedPlugin), $"The plugin {AssemblyPath} has been unloaded.");
}

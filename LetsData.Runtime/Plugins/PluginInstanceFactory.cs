using System.Reflection;
using LetsData.Interfaces;

namespace LetsData.Runtime.Plugins;

/// <summary>
/// Creates the plugin instances tasks work with. An unmarked class gets a fresh instance per task (the
/// stateful model); a <see cref="StatelessAttribute"/> class gets one instance, created on first use and
/// shared by all tasks.
/// </summary>
public sealed class PluginInstanceFactory<T> : IReleasedOnUnload
    where T : class
{
    private readonly Lock _sharedInstanceGate = new();
    private readonly string _pluginFile;
    private readonly string _typeName;
    private Type? _implementationType;

    // Instances are created once per task (or once), so the runtime's activator cache is fast enough; a compiled
    // expression cost every data-task process System.Linq.Expressions and a dynamic method at start-up.
    private Func<T>? _construct;
    private volatile T? _sharedInstance;

    internal PluginInstanceFactory(string pluginFile, Type implementationType)
    {
        _pluginFile = pluginFile;
        _typeName = implementationType.FullName ?? implementationType.Name;
        var constructor = implementationType.GetConstructor(Type.EmptyTypes);
        if (constructor is null || !typeof(T).IsAssignableFrom(implementationType))
        {
            // FindImplementation has checked both; this only guards internal misuse.
            throw new PluginLoadException(pluginFile, _typeName, $"cannot be created as {typeof(T).FullName}");
        }

        _implementationType = implementationType;
        IsStateless = implementationType.IsDefined(typeof(StatelessAttribute), inherit: false);
        _construct = () => (T)Activator.CreateInstance(implementationType)!;
    }

    /// <summary>The plugin class this factory creates.</summary>
    /// <exception cref="ObjectDisposedException">The plugin was unloaded.</exception>
    public Type ImplementationType => _implementationType ?? throw UnloadedError();

    /// <summary>True when the class is marked <see cref="StatelessAttribute"/>: one instance is shared by all tasks.</summary>
    public bool IsStateless { get; }

    /// <summary>
    /// The instance for one task: a new one for a stateful class, the shared one for a
    /// <see cref="StatelessAttribute"/> class. Thread-safe.
    /// </summary>
    /// <exception cref="PluginLoadException">The constructor threw (the plugin's exception is the inner exception).</exception>
    /// <exception cref="ObjectDisposedException">The plugin was unloaded.</exception>
    public T CreateForTask()
    {
        var construct = _construct ?? throw UnloadedError();
        if (!IsStateless)
        {
            return Construct(construct);
        }

        return _sharedInstance ?? CreateSharedInstance(construct);
    }

    void IReleasedOnUnload.Release() => Release();

    internal void Release()
    {
        _construct = null;
        _sharedInstance = null;
        _implementationType = null;
    }

    private T CreateSharedInstance(Func<T> construct)
    {
        lock (_sharedInstanceGate)
        {
            // A constructor failure is not remembered: the next task tries again, as it would for a
            // stateful class (unlike Lazy<T>, which would replay the first exception forever).
            return _sharedInstance ??= Construct(construct);
        }
    }

    private T Construct(Func<T> construct)
    {
        try
        {
            return construct();
        }
        catch (Exception ex)
        {
            var thrown = Unwrap(ex);
            throw new PluginLoadException(_pluginFile, _typeName, $"constructor threw: {thrown.Message}", thrown);
        }
    }

    private static Exception Unwrap(Exception exception)
    {
        while (exception is TargetInvocationException { InnerException: { } inner })
        {
            exception = inner;
        }

        return exception;
    }

    private ObjectDisposedException UnloadedError() =>
        new(GetType().Name, $"The plugin {_pluginFile} has been unloaded; {_typeName} can no longer be created.");
}

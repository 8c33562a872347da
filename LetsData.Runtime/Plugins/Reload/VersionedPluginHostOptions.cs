namespace LetsData.Runtime.Plugins.Reload;

/// <summary>Where <see cref="VersionedPluginHost"/> keeps its shadow copies and how hard it tries to verify an unload.</summary>
public sealed record VersionedPluginHostOptions
{
    /// <summary>The folder the versioned shadow copies go under; null: a new folder under the system temp folder.</summary>
    public string? ShadowRoot { get; init; }

    /// <summary>Full garbage collections run before an old version that is still alive is reported as leaked.</summary>
    public int MaxUnloadCollections { get; init; } = 10;

    /// <summary>The pause between two of those collections.</summary>
    public TimeSpan UnloadCollectionPause { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Runs on each version's shadow copy (its main assembly path) before anything of it is loaded, e.g. the plugin
    /// policy scan; returns why the build is refused, or null. Checking the copy, not the dropped folder, means what
    /// was checked is exactly what loads.
    /// </summary>
    public Func<string, string?>? CheckBeforeLoad { get; init; }
}

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
    /// policy scan; returns why the build is refused (a string converts), or the files the version may load, or null.
    /// Checking the copy, not the dropped folder, means what was checked is exactly what loads.
    /// </summary>
    public Func<string, PluginLoadCheck?>? CheckBeforeLoad { get; init; }
}

/// <summary>What <see cref="VersionedPluginHostOptions.CheckBeforeLoad"/> decided about one version.</summary>
/// <param name="Refusal">Why the build is refused; null when it may load.</param>
/// <param name="LoadableFiles">The managed files (full paths) the version's context may load, e.g. the policy scan's; null: no limit beyond the plugin folder.</param>
public sealed record PluginLoadCheck(string? Refusal, IReadOnlyCollection<string>? LoadableFiles)
{
    /// <summary>A refusal with this reason; null: no objection and no limit.</summary>
    public static PluginLoadCheck? FromRefusal(string? refusal) => refusal is null ? null : new PluginLoadCheck(refusal, null);

    /// <summary>See <see cref="FromRefusal"/>.</summary>
    public static implicit operator PluginLoadCheck?(string? refusal) => FromRefusal(refusal);
}

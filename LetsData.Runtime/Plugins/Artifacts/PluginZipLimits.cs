namespace LetsData.Runtime.Plugins.Artifacts;

/// <summary>
/// Ceilings for unpacking a plugin zip: a zip bomb or a zip of millions of tiny files fails with a clear error instead
/// of filling the disk. The defaults are far above any real plugin (the samples are a few MB in a few dozen files).
/// </summary>
public sealed record PluginZipLimits
{
    public static readonly PluginZipLimits Default = new();

    /// <summary>Most entries (files and folders) a plugin zip may hold.</summary>
    public int MaxEntries { get; init; } = 10_000;

    /// <summary>Most bytes all entries together may unpack to.</summary>
    public long MaxUncompressedBytes { get; init; } = 1L << 30;
}

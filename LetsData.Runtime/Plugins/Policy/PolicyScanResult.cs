namespace LetsData.Runtime.Plugins.Policy;

/// <summary>The outcome of scanning a plugin folder against a <see cref="PluginPolicy"/>.</summary>
/// <param name="Refused">The assemblies the policy refuses; empty when the plugin may load.</param>
/// <param name="Scanned">The names of the assemblies scanned (allowed ones are not scanned).</param>
/// <param name="Allowed">The names of the assemblies skipped because an allow entry pins their exact file.</param>
/// <param name="Elapsed">How long the scan took.</param>
public sealed record PolicyScanResult(IReadOnlyList<RefusedAssembly> Refused, IReadOnlyList<string> Scanned,
    IReadOnlyList<string> Allowed, TimeSpan Elapsed)
{
    /// <summary>The full paths of the .NET assemblies the scan read (scanned or allowed): the only managed files the plugin's context may load.</summary>
    public IReadOnlyList<string> ManagedFiles { get; init; } = [];

    /// <summary>The full paths of the native PE files found (no .NET metadata); reported, not refused (their use through P/Invoke is fenced).</summary>
    public IReadOnlyList<string> NativeFiles { get; init; } = [];

    /// <summary>Problems with the folder's layout files (probing paths that lead the loader outside the folder).</summary>
    public IReadOnlyList<string> LayoutProblems { get; init; } = [];

    /// <summary>Whether the plugin may be loaded.</summary>
    public bool IsAllowed => Refused.Count == 0 && LayoutProblems.Count == 0;

    /// <summary>Every layout problem, then every problem line of every refused assembly.</summary>
    public IEnumerable<string> Problems() => LayoutProblems.Concat(Refused.SelectMany(assembly => assembly.Problems()));
}

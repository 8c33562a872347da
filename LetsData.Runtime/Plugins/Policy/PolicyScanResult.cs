namespace LetsData.Runtime.Plugins.Policy;

/// <summary>The outcome of scanning a plugin folder against a <see cref="PluginPolicy"/>.</summary>
/// <param name="Refused">The assemblies the policy refuses; empty when the plugin may load.</param>
/// <param name="Scanned">The names of the assemblies scanned (allowed ones are not scanned).</param>
/// <param name="Allowed">The names of the assemblies skipped because an allow entry pins their exact file.</param>
/// <param name="Elapsed">How long the scan took.</param>
public sealed record PolicyScanResult(IReadOnlyList<RefusedAssembly> Refused, IReadOnlyList<string> Scanned,
    IReadOnlyList<string> Allowed, TimeSpan Elapsed)
{
    /// <summary>Whether the plugin may be loaded.</summary>
    public bool IsAllowed => Refused.Count == 0;

    /// <summary>Every problem line of every refused assembly.</summary>
    public IEnumerable<string> Problems() => Refused.SelectMany(assembly => assembly.Problems());
}

using LetsData.Runtime.Plugins.Policy;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// A plugin folder's policy scan under the default policy, begun before the dataset is read (data-task process 1, on a
/// core of its own beside the dataset's parse: <see cref="PreparationAhead"/>). The scan reads metadata only; nothing of
/// the plugin loads before the dataset's policy is known, and the result counts only when that policy is the default
/// one for the same assembly — otherwise the folder is scanned again under the dataset's policy.
/// </summary>
internal sealed class PolicyScanAhead
{
    private readonly string _assemblyPath;
    private readonly Task<PolicyScanResult> _scan;

    private PolicyScanAhead(string assemblyPath)
    {
        _assemblyPath = assemblyPath;
        _scan = Task.Run(() => PluginPolicyScanner.Scan(assemblyPath, PluginPolicy.Default));
    }

    /// <summary>Starts scanning the folder of <paramref name="assemblyPath"/> on a pool thread.</summary>
    public static PolicyScanAhead Start(string assemblyPath) => new(assemblyPath);

    /// <summary>
    /// The early scan (waiting for it if it is still under way) when <paramref name="assemblyPath"/> is the one it scanned
    /// and <paramref name="policy"/> exempts nothing (the default fence); null otherwise.
    /// </summary>
    public PolicyScanResult? ResultFor(string assemblyPath, PluginPolicy policy) =>
        policy.Allow.Count == 0 && policy.Fence == PluginPolicy.Default.Fence
            && string.Equals(assemblyPath, _assemblyPath, StringComparison.Ordinal)
                ? _scan.GetAwaiter().GetResult()
                : null;
}

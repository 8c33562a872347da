using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// What plugin code may reference: the <see cref="Fence"/> (deny table) and the reviewed assemblies that are exempt
/// from it. Checked by <c>PluginPolicyScanner</c> before any plugin code is loaded.
/// </summary>
public sealed class PluginPolicy
{
    /// <summary>Creates a policy from a deny table and the exempt assemblies.</summary>
    /// <param name="fence">The fenced namespaces, types and members.</param>
    /// <param name="allow">The reviewed assemblies exempt from the fence.</param>
    public PluginPolicy(IReadOnlyList<FencedApi> fence, IReadOnlyList<PolicyAllowEntry> allow)
    {
        Fence = fence;
        Allow = allow;
    }

    /// <summary>The default fence with nothing exempt.</summary>
    public static PluginPolicy Default { get; } = new(DefaultPluginPolicy.Fence, []);

    public IReadOnlyList<FencedApi> Fence { get; }

    public IReadOnlyList<PolicyAllowEntry> Allow { get; }

    /// <summary>
    /// The default fence widened by a dataset's <c>pluginPolicy</c>; each unusable entry adds a problem naming its field.
    /// </summary>
    public static PluginPolicy FromConfig(PluginPolicyConfig? config, List<string> problems)
    {
        var allow = new List<PolicyAllowEntry>();
        var entries = config?.Allow ?? [];
        for (var i = 0; i < entries.Count; i++)
        {
            var field = $"pluginPolicy.allow[{i}]";
            var entry = entries[i];
            if (entry is null)
            {
                problems.Add($"{field}: must be an object with \"assembly\" and \"sha256\"");
                continue;
            }

            var valid = true;
            if (string.IsNullOrWhiteSpace(entry.Assembly))
            {
                problems.Add($"{field}.assembly: required (the assembly's simple name, e.g. \"Newtonsoft.Json\")");
                valid = false;
            }

            if (entry.Sha256 is not { Length: 64 } sha || !sha.All(char.IsAsciiHexDigit))
            {
                problems.Add($"{field}.sha256: required, 64 hexadecimal digits (the SHA-256 of the assembly file; letsdata validate prints it)");
                valid = false;
            }

            if (valid)
            {
                allow.Add(new PolicyAllowEntry(entry.Assembly!, entry.Sha256!.ToLowerInvariant(), entry.Reason));
            }
        }

        return new PluginPolicy(DefaultPluginPolicy.Fence, allow);
    }
}

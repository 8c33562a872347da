namespace LetsData.Runtime.Plugins.Policy;

/// <summary>An assembly of the plugin folder that the policy refuses, with every fenced API it uses.</summary>
/// <param name="Name">The assembly's simple name (the file name for a file that is not a .NET assembly).</param>
/// <param name="FilePath">The assembly file.</param>
/// <param name="Sha256">The SHA-256 of the file, lower-case hexadecimal.</param>
/// <param name="IsPluginAssembly">Whether this is the plugin's own main assembly rather than a dependency.</param>
/// <param name="Violations">Each fenced API use found, in metadata order.</param>
/// <param name="PinnedSha256">Set when an allow entry names this assembly with another hash: the file changed since it was reviewed.</param>
public sealed record RefusedAssembly(string Name, string FilePath, string Sha256, bool IsPluginAssembly,
    IReadOnlyList<PolicyViolation> Violations, string? PinnedSha256)
{
    /// <summary>The allow entry that would exempt this exact file, its reason naming the rules it breaks.</summary>
    public PolicyAllowEntry SuggestedAllowEntry =>
        new(Name, Sha256, "uses " + string.Join(", ", Violations.Select(v => v.Rule).Distinct(StringComparer.Ordinal)));

    /// <summary>One line per problem: the changed hash (if so), then each violation.</summary>
    public IEnumerable<string> Problems()
    {
        if (PinnedSha256 is not null)
        {
            yield return $"{Name}: the file's SHA-256 changed since it was allowed: pluginPolicy.allow pins {Name} to sha256 " +
                $"{PinnedSha256}, but {Path.GetFileName(FilePath)} is {Sha256}; review the new file and update the entry";
        }

        foreach (var violation in Violations)
        {
            yield return violation.ToString();
        }
    }
}

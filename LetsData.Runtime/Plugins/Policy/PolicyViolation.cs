namespace LetsData.Runtime.Plugins.Policy;

/// <summary>One use of a fenced API found in a plugin folder's assembly.</summary>
/// <param name="Assembly">The simple name of the assembly whose code uses the API.</param>
/// <param name="UsingType">The full name of the type that uses it (nested types with <c>+</c>).</param>
/// <param name="UsingMethod">The method that uses it; null when the reference is outside method bodies (a signature, field type or attribute).</param>
/// <param name="FencedMember">The fenced member or type, e.g. <c>System.Diagnostics.Process.Start(string)</c>.</param>
/// <param name="Rule">The policy rule it breaks (see <see cref="PolicyRules"/>).</param>
public sealed record PolicyViolation(string Assembly, string UsingType, string? UsingMethod, string FencedMember, string Rule)
{
    /// <summary>E.g. <c>Plugin: Plugin.Parser.ParseDocument uses System.Diagnostics.Process.Start(string) (process start or control)</c>.</summary>
    public override string ToString() => UsingMethod is null
        ? $"{Assembly}: {UsingType} references {FencedMember} ({Rule})"
        : $"{Assembly}: {UsingType}.{UsingMethod} uses {FencedMember} ({Rule})";
}

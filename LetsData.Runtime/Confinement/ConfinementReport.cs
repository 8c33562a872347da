using System.Text;

namespace LetsData.Runtime.Confinement;

/// <summary>What was applied, and what is missing on this kernel / OS, each as a short human line for the log.</summary>
/// <param name="Applied">Protections in force, e.g. "no_new_privs set".</param>
/// <param name="Missing">Protections this kernel or OS could not give, e.g. "Landlock ABI 3 &lt; 4: TCP connections are not confined".</param>
public sealed record ConfinementReport(IReadOnlyList<string> Applied, IReadOnlyList<string> Missing)
{
    /// <summary>The environment variable stage 1 puts in the exec'd process's environment (see <see cref="ProcessConfinement.ConfineThenExec"/>).</summary>
    public const string Stage1Variable = "LETSDATA_CONFINEMENT_STAGE1";

    /// <summary>Both reports' lines, this one's first.</summary>
    public ConfinementReport Concat(ConfinementReport other) => new([.. Applied, .. other.Applied], [.. Missing, .. other.Missing]);

    /// <summary>The report stage 1 left in this process's environment, or null when the process was not started by stage 1.</summary>
    public static ConfinementReport? FromStage1Variable()
    {
        var value = Environment.GetEnvironmentVariable(Stage1Variable);
        return value is null ? null : Decode(value);
    }

    /// <summary>
    /// A compact, single-line form for an environment variable: each line as '+' (applied) or '-' (missing) and its
    /// text, separated by ';'. '%' and ';' in a text are written %25 and %3B.
    /// </summary>
    internal string Encode()
    {
        var builder = new StringBuilder();
        foreach (var (sign, lines) in new[] { ('+', Applied), ('-', Missing) })
        {
            foreach (var line in lines)
            {
                if (builder.Length > 0)
                {
                    builder.Append(';');
                }

                builder.Append(sign).Append(line.Replace("%", "%25", StringComparison.Ordinal).Replace(";", "%3B", StringComparison.Ordinal));
            }
        }

        return builder.ToString();
    }

    /// <summary>The inverse of <see cref="Encode"/>; parts that are not '+' or '-' lines are ignored.</summary>
    internal static ConfinementReport Decode(string value)
    {
        var applied = new List<string>();
        var missing = new List<string>();
        foreach (var part in value.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var text = part[1..].Replace("%3B", ";", StringComparison.Ordinal).Replace("%25", "%", StringComparison.Ordinal);
            switch (part[0])
            {
                case '+':
                    applied.Add(text);
                    break;
                case '-':
                    missing.Add(text);
                    break;
            }
        }

        return new ConfinementReport(applied, missing);
    }
}

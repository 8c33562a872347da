namespace LetsData.Runtime.Plugins;

/// <summary>
/// Suggests type names close to one that was not found: the usual mistakes in a dataset configuration
/// are a typo, wrong case, or a wrong namespace in front of the right class name.
/// </summary>
internal static class SimilarTypeNames
{
    private const int MaxSuggestions = 5;

    public static IReadOnlyList<string> Find(string wanted, IEnumerable<string> candidates)
    {
        var wantedSimple = SimpleName(wanted);
        return candidates
            .Select(candidate => (candidate, distance: Distance(wanted, wantedSimple, candidate)))
            .Where(c => c.distance is not null)
            .OrderBy(c => c.distance)
            .ThenBy(c => c.candidate, StringComparer.Ordinal)
            .Take(MaxSuggestions)
            .Select(c => c.candidate)
            .ToList();
    }

    // Null when not similar; smaller is closer.
    private static int? Distance(string wanted, string wantedSimple, string candidate)
    {
        var full = EditDistance(wanted.ToLowerInvariant(), candidate.ToLowerInvariant());
        if (full <= Math.Max(2, wanted.Length / 10))
        {
            return full;
        }

        var candidateSimple = SimpleName(candidate);
        var simple = EditDistance(wantedSimple.ToLowerInvariant(), candidateSimple.ToLowerInvariant());
        return simple <= Math.Max(1, wantedSimple.Length / 5) ? 100 + simple : null;
    }

    private static string SimpleName(string typeName)
    {
        var cut = typeName.LastIndexOfAny(['.', '+']);
        return cut < 0 ? typeName : typeName[(cut + 1)..];
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}

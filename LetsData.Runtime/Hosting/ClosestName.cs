namespace LetsData.Runtime.Hosting;

/// <summary>The name someone probably meant when they typed one that does not exist: <c>--datset</c> is <c>--dataset</c>.</summary>
internal static class ClosestName
{
    /// <summary>The closest of <paramref name="names"/> to <paramref name="typed"/>; null when none is close enough to be a slip.</summary>
    public static string? Among(string typed, IEnumerable<string> names)
    {
        var candidates = names.Distinct(StringComparer.Ordinal).ToList();

        // The start of one name only: the rest was left off (--max-task for --max-task-seconds).
        var started = candidates.Where(n => typed.TrimStart('-').Length >= 3 && n.StartsWith(typed, StringComparison.Ordinal)).ToList();
        if (started is [var only])
        {
            return only;
        }

        var best = candidates.Select(n => (Name: n, Distance: Distance(typed, n))).OrderBy(c => c.Distance).FirstOrDefault();

        // A slip changes a few letters; beyond a third of the name it is another word, and a suggestion would mislead.
        return best.Name is not null && best.Distance <= Math.Max(1, best.Name.TrimStart('-').Length / 3) ? best.Name : null;
    }

    // Insertions, deletions, substitutions and swaps of neighbouring letters, each costing 1 (optimal string alignment).
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}

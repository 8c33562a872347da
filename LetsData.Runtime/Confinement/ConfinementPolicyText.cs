using System.Globalization;
using System.Text;

namespace LetsData.Runtime.Confinement;

/// <summary>
/// A <see cref="ConfinementPolicy"/> as one command-line argument: base64 of its lists, each a count then its items,
/// every part ended by a NUL (no path can hold one). Not JSON: stage 1 reads nothing else, and a JSON serializer's
/// first use cost it ~50 ms of every data-task process start (<c>run --timings</c>).
/// </summary>
internal static class ConfinementPolicyText
{
    public static string Encode(ConfinementPolicy policy)
    {
        var text = new StringBuilder();
        foreach (var list in Lists(policy))
        {
            text.Append(list.Count.ToString(CultureInfo.InvariantCulture)).Append('\0');
            foreach (var item in list)
            {
                if (item.Contains('\0', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"a confinement path holds a NUL character: {item.Replace("\0", "\\0", StringComparison.Ordinal)}", nameof(policy));
                }

                text.Append(item).Append('\0');
            }
        }

        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text.ToString()));
    }

    /// <exception cref="FormatException">The argument is not an encoded policy.</exception>
    public static ConfinementPolicy Decode(string argument)
    {
        var parts = Encoding.UTF8.GetString(Convert.FromBase64String(argument)).Split('\0');
        var next = 0;
        List<string> List()
        {
            if (next >= parts.Length || !int.TryParse(parts[next++], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                || count > parts.Length - next)
            {
                throw new FormatException("not an encoded confinement policy");
            }

            var items = parts[next..(next + count)].ToList();
            next += count;
            return items;
        }

        static List<int> Numbers(List<string> items) =>
            items.Select(i => int.TryParse(i, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
                : throw new FormatException($"not a number in a confinement policy: {i}")).ToList();

        var policy = new ConfinementPolicy
        {
            ReadOnlyPaths = List(),
            ReadExecutePaths = List(),
            ReadWritePaths = List(),
            TcpConnectPorts = Numbers(List()),
            SocketFamilies = Numbers(List()),
        };
        return next == parts.Length - 1 && parts[next].Length == 0 ? policy : throw new FormatException("not an encoded confinement policy");
    }

    // The order is the format: a field added to the policy goes at the end, here and in Decode.
    private static IEnumerable<IReadOnlyList<string>> Lists(ConfinementPolicy policy) =>
    [
        policy.ReadOnlyPaths,
        policy.ReadExecutePaths,
        policy.ReadWritePaths,
        policy.TcpConnectPorts.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList(),
        policy.SocketFamilies.Select(f => f.ToString(CultureInfo.InvariantCulture)).ToList(),
    ];
}

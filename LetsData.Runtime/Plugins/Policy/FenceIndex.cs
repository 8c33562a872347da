namespace LetsData.Runtime.Plugins.Policy;

/// <summary>
/// The fence, indexed for one scan: an assembly references a few hundred distinct types but uses them thousands of
/// times, so each type is matched against the whole table once and each member only against its own type's entries.
/// </summary>
internal sealed class FenceIndex
{
    private readonly Dictionary<string, FencedApi> _typeEntries;
    private readonly Dictionary<string, FencedApi> _namespaceEntries;
    private readonly Dictionary<string, FencedApi[]> _memberEntriesByType;
    private readonly Dictionary<string, FencedApi?> _typeMatches = new(StringComparer.Ordinal);

    public FenceIndex(IReadOnlyList<FencedApi> fence)
    {
        // The first entry of a target wins, as in the table's order.
        _typeEntries = fence.Where(api => api.Scope == FencedApiScope.Type).DistinctBy(api => api.Target)
            .ToDictionary(api => api.Target, StringComparer.Ordinal);
        _namespaceEntries = fence.Where(api => api.Scope == FencedApiScope.Namespace).DistinctBy(api => api.Target)
            .ToDictionary(api => api.Target, StringComparer.Ordinal);
        _memberEntriesByType = fence.Where(api => api.Scope == FencedApiScope.Member)
            .GroupBy(api => api.Target, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>The entry fencing the whole type (or its namespace), if any.</summary>
    public FencedApi? MatchType(string typeFullName)
    {
        if (!_typeMatches.TryGetValue(typeFullName, out var match))
        {
            match = FindTypeEntry(typeFullName);
            _typeMatches[typeFullName] = match;
        }

        return match;
    }

    /// <summary>The entry fencing a member: its whole type, or a member entry of that type.</summary>
    /// <param name="typeFullName">The member's declaring type, without generic arguments.</param>
    /// <param name="memberName">The member's name.</param>
    /// <param name="parameterTypes">The member's parameter types.</param>
    public FencedApi? MatchMember(string typeFullName, string memberName, IReadOnlyList<string> parameterTypes)
    {
        if (MatchType(typeFullName) is { } typeMatch)
        {
            return typeMatch;
        }

        return _memberEntriesByType.TryGetValue(typeFullName, out var entries)
            ? Array.Find(entries, api => api.MatchesMember(typeFullName, memberName, parameterTypes))
            : null;
    }

    // The same answer as FencedApi.MatchesType over the table, by lookups: the type and each type it is nested in,
    // then its namespace and each enclosing namespace.
    private FencedApi? FindTypeEntry(string typeFullName)
    {
        for (var name = typeFullName; ; name = name[..name.LastIndexOf('+')])
        {
            if (_typeEntries.TryGetValue(name, out var typeEntry))
            {
                return typeEntry;
            }

            if (!name.Contains('+'))
            {
                break;
            }
        }

        var outer = typeFullName.Split('+')[0];
        for (var dot = outer.LastIndexOf('.'); dot > 0; dot = outer.LastIndexOf('.', dot - 1))
        {
            if (_namespaceEntries.TryGetValue(outer[..dot], out var namespaceEntry))
            {
                return namespaceEntry;
            }
        }

        return null;
    }
}

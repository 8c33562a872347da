namespace LetsData.Interfaces.Documents;

// Content comparison of the documents' dictionaries: two documents built from equal maps are equal
// even when the map instances differ (as Java's EqualsBuilder does for Map fields).
internal static class DocumentEquality
{
    public static bool DictionariesEqual<TValue>(IReadOnlyDictionary<string, TValue>? left,
                                                 IReadOnlyDictionary<string, TValue>? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }
        if (left is null || right is null || left.Count != right.Count)
        {
            return false;
        }
        foreach (var (key, value) in left)
        {
            if (!right.TryGetValue(key, out var other) || !EqualityComparer<TValue>.Default.Equals(value, other))
            {
                return false;
            }
        }
        return true;
    }

    // Order-independent, so it agrees with DictionariesEqual whatever the enumeration order.
    public static int DictionaryHashCode<TValue>(IReadOnlyDictionary<string, TValue>? dictionary)
    {
        if (dictionary is null)
        {
            return 0;
        }
        var hash = dictionary.Count;
        foreach (var (key, value) in dictionary)
        {
            hash ^= HashCode.Combine(key, value);
        }
        return hash;
    }
}

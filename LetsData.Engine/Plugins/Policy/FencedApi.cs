namespace LetsData.Runtime.Plugins.Policy;

/// <summary>What a <see cref="FencedApi"/> entry covers.</summary>
public enum FencedApiScope
{
    /// <summary>Every type of a namespace and of the namespaces under it.</summary>
    Namespace,

    /// <summary>A type (and the types nested in it): any reference to it, including its use as a generic argument or in <c>typeof</c>.</summary>
    Type,

    /// <summary>Members of one type by name (a trailing <c>*</c> matches a prefix), optionally only the overloads with a given first parameter.</summary>
    Member,
}

/// <summary>
/// One line of the policy's deny table: a namespace, a type or members of a type that plugin code must not reference,
/// and the rule it belongs to (named in every violation).
/// </summary>
/// <param name="Rule">The rule named in the violation message, e.g. "process start".</param>
/// <param name="Scope">What <paramref name="Target"/> names.</param>
/// <param name="Target">A namespace (<see cref="FencedApiScope.Namespace"/>) or a type's full name (nested types with <c>+</c>).</param>
/// <param name="MemberPattern">For <see cref="FencedApiScope.Member"/>: a member name, <c>.ctor</c>, or a prefix ending in <c>*</c>.</param>
/// <param name="FirstParameter">Optional: only the overloads whose first parameter has this type (C# keywords for primitives, e.g. <c>string</c>, <c>byte[]</c>).</param>
public sealed record FencedApi(string Rule, FencedApiScope Scope, string Target, string? MemberPattern = null, string? FirstParameter = null)
{
    /// <summary>Fences a namespace and the namespaces under it.</summary>
    public static FencedApi Namespace(string rule, string name) => new(rule, FencedApiScope.Namespace, name);

    /// <summary>Fences a whole type.</summary>
    public static FencedApi Type(string rule, string fullName) => new(rule, FencedApiScope.Type, fullName);

    /// <summary>Fences members of a type; see <see cref="MemberPattern"/>.</summary>
    public static FencedApi Member(string rule, string typeFullName, string memberPattern, string? firstParameter = null) =>
        new(rule, FencedApiScope.Member, typeFullName, memberPattern, firstParameter);

    /// <summary>Whether a reference to the type named <paramref name="typeFullName"/> is fenced by this entry.</summary>
    public bool MatchesType(string typeFullName) => Scope switch
    {
        FencedApiScope.Namespace => NamespaceOf(typeFullName) is { } ns && (ns == Target || ns.StartsWith(Target + ".", StringComparison.Ordinal)),
        FencedApiScope.Type => typeFullName == Target || typeFullName.StartsWith(Target + "+", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Whether a reference to a member is fenced by this entry (type-wide entries match every member of their types).</summary>
    /// <param name="typeFullName">The member's declaring type, without generic arguments.</param>
    /// <param name="memberName">The member's name (<c>.ctor</c> for constructors).</param>
    /// <param name="parameterTypes">The member's parameter types, empty for fields.</param>
    public bool MatchesMember(string typeFullName, string memberName, IReadOnlyList<string> parameterTypes)
    {
        if (Scope != FencedApiScope.Member)
        {
            return MatchesType(typeFullName);
        }

        if (typeFullName != Target || !MatchesName(memberName))
        {
            return false;
        }

        return FirstParameter is null || (parameterTypes.Count > 0 && parameterTypes[0] == FirstParameter);
    }

    private bool MatchesName(string memberName) => MemberPattern switch
    {
        null => true,
        ['*'] => true,
        [.., '*'] => memberName.StartsWith(MemberPattern[..^1], StringComparison.Ordinal),
        _ => memberName == MemberPattern,
    };

    // Nested types carry their outermost type's namespace.
    private static string? NamespaceOf(string typeFullName)
    {
        var outer = typeFullName.Split('+')[0];
        var dot = outer.LastIndexOf('.');
        return dot < 0 ? null : outer[..dot];
    }
}

using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using LetsData.Runtime.Plugins.Policy;

namespace LetsData.Runtime.Tests.Layering;

/// <summary>
/// Which areas of the runtime (<c>LetsData.Runtime.&lt;Area&gt;</c>, sub-namespaces folded in) use which, read from the
/// compiled assemblies (the engine and the worker share the namespaces, so both are read as one): every type's base
/// types, interfaces, fields, properties and method signatures, and every type or member its method bodies name (lambdas and iterators included, as they compile into nested types).
/// </summary>
internal sealed class NamespaceDependencies
{
    private const string Root = "LetsData.Runtime";

    private readonly Assembly[] _assemblies;
    private readonly Dictionary<(string From, string To), string> _examples = [];

    private NamespaceDependencies(Assembly[] assemblies) => _assemblies = assemblies;

    /// <summary>From area → to area, each with one example <c>Type → Type</c> for messages.</summary>
    public IReadOnlyDictionary<(string From, string To), string> Edges => _examples;

    public static NamespaceDependencies Of(params Assembly[] assemblies)
    {
        var dependencies = new NamespaceDependencies(assemblies);
        foreach (var assembly in assemblies)
        {
            dependencies.Add(assembly);
        }

        return dependencies;
    }

    private void Add(Assembly assembly)
    {
        var module = assembly.ManifestModule;
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.TypeDefinitions)
        {
            if (MetadataTokens.GetRowNumber(handle) == 1)
            {
                continue; // <Module>: holds no code of an area
            }

            var type = module.ResolveType(MetadataTokens.GetToken(handle));
            if (AreaOf(type) is null)
            {
                continue;
            }

            AddSignatures(type);
            foreach (var methodHandle in metadata.GetTypeDefinition(handle).GetMethods())
            {
                var definition = metadata.GetMethodDefinition(methodHandle);
                if (definition.RelativeVirtualAddress != 0)
                {
                    var method = module.ResolveMethod(MetadataTokens.GetToken(methodHandle))!;
                    AddBody(type, method, pe.GetMethodBody(definition.RelativeVirtualAddress));
                }
            }
        }
    }

    /// <summary>The areas that depend on each other in a circle: each strongly connected group of more than one area.</summary>
    public List<List<string>> Cycles() => CyclesOf(_examples.Keys);

    /// <summary>Each group of more than one node that reach each other through <paramref name="edges"/> (Tarjan's algorithm).</summary>
    public static List<List<string>> CyclesOf(IEnumerable<(string From, string To)> edges)
    {
        var graph = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).ToList());
        var (index, next) = (new Dictionary<string, int>(), 0);
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var cycles = new List<List<string>>();

        void Connect(string area)
        {
            index[area] = low[area] = next++;
            stack.Push(area);
            foreach (var to in graph.GetValueOrDefault(area) ?? [])
            {
                if (!index.ContainsKey(to))
                {
                    Connect(to);
                    low[area] = Math.Min(low[area], low[to]);
                }
                else if (stack.Contains(to))
                {
                    low[area] = Math.Min(low[area], index[to]);
                }
            }

            if (low[area] == index[area])
            {
                var group = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    group.Add(member);
                }
                while (member != area);
                if (group.Count > 1)
                {
                    cycles.Add([.. group.Order(StringComparer.Ordinal)]);
                }
            }
        }

        foreach (var area in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(area))
            {
                Connect(area);
            }
        }

        return cycles;
    }

    private void AddSignatures(Type type)
    {
        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        Add(type, type.BaseType);
        foreach (var used in type.GetInterfaces())
        {
            Add(type, used);
        }

        foreach (var field in type.GetFields(declared))
        {
            Add(type, field.FieldType);
        }

        foreach (var property in type.GetProperties(declared))
        {
            Add(type, property.PropertyType);
        }

        foreach (var method in type.GetMethods(declared).Cast<MethodBase>().Concat(type.GetConstructors(declared)))
        {
            AddMember(type, method);
        }
    }

    private void AddBody(Type type, MethodBase method, MethodBodyBlock body)
    {
        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var token in IlTokenReader.TokensOf(body))
        {
            // User strings and stand-alone signatures (calli) name no member.
            if ((token >> 24) is 0x70 or 0x11)
            {
                continue;
            }

            switch (ResolveOrNull(method.Module, token, typeArguments, methodArguments))
            {
                case Type used:
                    Add(type, used);
                    break;
                case { } member:
                    AddMember(type, member);
                    break;
            }
        }
    }

    private static MemberInfo? ResolveOrNull(Module module, int token, Type[]? typeArguments, Type[]? methodArguments)
    {
        try
        {
            return module.ResolveMember(token, typeArguments, methodArguments);
        }
        catch (ArgumentException)
        {
            return null; // <Module> and its global members: no area's type
        }
    }

    private void AddMember(Type from, MemberInfo member)
    {
        Add(from, member.DeclaringType);
        switch (member)
        {
            case FieldInfo field:
                Add(from, field.FieldType);
                break;
            case MethodBase method:
                if (method is MethodInfo info)
                {
                    Add(from, info.ReturnType);
                }

                foreach (var parameter in method.GetParameters())
                {
                    Add(from, parameter.ParameterType);
                }

                if (method.IsGenericMethod)
                {
                    foreach (var argument in method.GetGenericArguments())
                    {
                        Add(from, argument);
                    }
                }

                break;
        }
    }

    private void Add(Type from, Type? to)
    {
        if (to is null)
        {
            return;
        }

        if (to.HasElementType)
        {
            Add(from, to.GetElementType());
            return;
        }

        if (to.IsGenericType && !to.IsGenericTypeDefinition)
        {
            foreach (var argument in to.GetGenericArguments())
            {
                Add(from, argument);
            }
        }

        if (to.IsGenericParameter || AreaOf(from) is not { } fromArea || AreaOf(to) is not { } toArea || fromArea == toArea)
        {
            return;
        }

        _examples.TryAdd((fromArea, toArea), $"{Outermost(from).FullName} -> {Outermost(to).FullName}");
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    /// <summary>The area of one of the runtime's own types (<c>Engine</c> for <c>LetsData.Runtime.Engine.Checkpoints</c>); null for others.</summary>
    private string? AreaOf(Type type)
    {
        if (!_assemblies.Contains(type.Assembly) || type.Namespace is not { } ns || !(ns == Root || ns.StartsWith(Root + ".", StringComparison.Ordinal)))
        {
            return null;
        }

        var rest = ns.Length == Root.Length ? "" : ns[(Root.Length + 1)..];
        var dot = rest.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? rest : rest[..dot];
    }
}

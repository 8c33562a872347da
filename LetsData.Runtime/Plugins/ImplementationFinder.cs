using System.Reflection;
using System.Runtime.CompilerServices;

namespace LetsData.Runtime.Plugins;

/// <summary>
/// Finds and checks the plugin class that implements a contract interface, turning every way this can
/// go wrong into a <see cref="PluginLoadException"/> the plugin author can act on.
/// </summary>
internal static class ImplementationFinder
{
    private const int MaxListed = 10;

    public static Type Find(Assembly assembly, string pluginFile, Type contract, string? className) =>
        string.IsNullOrWhiteSpace(className)
            ? FindOnlyImplementation(assembly, pluginFile, contract)
            : FindNamed(assembly, pluginFile, contract, className.Trim());

    private static Type FindNamed(Assembly assembly, string pluginFile, Type contract, string className)
    {
        Type? type;
        try
        {
            // throwOnError: without it, a class that exists but cannot load (its base class lives in a
            // missing dependency) would be reported as "not found".
            type = assembly.GetType(className, throwOnError: true, ignoreCase: false);
        }
        catch (TypeLoadException ex) when (ex.TypeName == className)
        {
            type = null;
        }
        catch (ArgumentException)
        {
            type = null; // not a valid type name: reported as not found, with suggestions
        }
        catch (Exception ex) when (DependencyFailure.IsTypeLoadFailure(ex))
        {
            throw DependencyFailure.ToPluginLoadException(pluginFile, className, ex);
        }

        if (type is null)
        {
            throw new PluginLoadException(pluginFile, className, NotFoundReason(assembly, contract, className));
        }

        Validate(pluginFile, contract, type);
        return type;
    }

    private static Type FindOnlyImplementation(Assembly assembly, string pluginFile, Type contract)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (Exception ex) when (DependencyFailure.IsTypeLoadFailure(ex))
        {
            throw DependencyFailure.ToPluginLoadException(pluginFile, null, ex);
        }

        var implementations = types.Where(t => t != contract && contract.IsAssignableFrom(t)).ToList();
        var usable = implementations.Where(IsCreatableShape).ToList();
        switch (usable.Count)
        {
            case 1:
                Validate(pluginFile, contract, usable[0]);
                return usable[0];
            case 0:
                throw new PluginLoadException(pluginFile, null, NoImplementationReason(types, implementations, contract));
            default:
                throw new PluginLoadException(pluginFile, null,
                    $"{usable.Count} public classes implement {contract.FullName}: {ListNames(usable)}; " +
                    "name the one to use in the dataset configuration");
        }
    }

    private static bool IsCreatableShape(Type type) =>
        type.IsVisible && type.IsClass && !type.IsAbstract && !type.ContainsGenericParameters;

    private static void Validate(string pluginFile, Type contract, Type type)
    {
        var typeName = type.FullName ?? type.Name;
        try
        {
            var problem = ShapeProblem(type) ?? ContractProblem(contract, type) ?? ConstructorProblem(type);
            if (problem is not null)
            {
                throw new PluginLoadException(pluginFile, typeName, problem);
            }
        }
        catch (Exception ex) when (DependencyFailure.IsTypeLoadFailure(ex))
        {
            throw DependencyFailure.ToPluginLoadException(pluginFile, typeName, ex);
        }
    }

    private static string? ShapeProblem(Type type)
    {
        if (!type.IsVisible)
        {
            return type.IsNested && type.IsNestedPublic
                ? "a class it is nested in is not public; the runtime can only create public classes"
                : "the class is not public; make it public so the runtime can create it";
        }

        if (type.IsInterface)
        {
            return "is an interface; name the class that implements it";
        }

        if (type.IsAbstract && type.IsSealed)
        {
            return "is a static class; name a class the runtime can create";
        }

        if (type.IsAbstract)
        {
            return "is abstract; name a concrete (non-abstract) class derived from it";
        }

        if (type.ContainsGenericParameters)
        {
            return "is an open generic class; name a non-generic class";
        }

        if (!type.IsClass)
        {
            return "is not a class (a struct or enum?); implementations must be classes";
        }

        return null;
    }

    private static string? ContractProblem(Type contract, Type type)
    {
        if (contract.IsAssignableFrom(type))
        {
            return null;
        }

        var interfaces = type.GetInterfaces();
        var lookalike = interfaces.FirstOrDefault(i => i.FullName == contract.FullName);
        if (lookalike is not null)
        {
            // Same name, different type: the plugin's classes are bound to a second copy of the contract.
            return $"implements {contract.FullName} from another copy of {contract.Assembly.GetName().Name} " +
                   $"({lookalike.Assembly.GetName().Version}, {DescribeLocation(lookalike.Assembly)}) instead of the runtime's " +
                   $"({contract.Assembly.GetName().Version}); reference the contract with Private=\"false\" in the plugin project";
        }

        var contractInterfaces = interfaces.Where(i => i.Assembly == contract.Assembly).Select(i => i.FullName).ToList();
        return contractInterfaces.Count == 0
            ? $"does not implement {contract.FullName}"
            : $"does not implement {contract.FullName} (it implements {string.Join(", ", contractInterfaces)})";
    }

    private static string? ConstructorProblem(Type type)
    {
        if (type.GetConstructor(Type.EmptyTypes) is not null)
        {
            return null;
        }

        var constructors = type.GetConstructors().Select(c => $"({string.Join(", ", c.GetParameters().Select(p => $"{p.ParameterType.Name} {p.Name}"))})").ToList();
        var found = constructors.Count == 0 ? "it has no public constructor" : $"its public constructors take {string.Join(", ", constructors)}";
        return $"has no public parameterless constructor ({found}); the runtime creates plugin classes with new {type.Name}()";
    }

    private static string NotFoundReason(Assembly assembly, Type contract, string className)
    {
        var types = LoadableTypes(assembly).Where(t => !t.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)).ToList();
        var similar = SimilarTypeNames.Find(className, types.Select(t => t.FullName).OfType<string>());
        if (similar.Count > 0)
        {
            return $"class not found in the plugin; did you mean {string.Join(" or ", similar)}?";
        }

        var implementations = types.Where(t => t != contract && IsCreatableShape(t) && contract.IsAssignableFrom(t)).ToList();
        return implementations.Count == 0
            ? $"class not found in the plugin, and no public class in it implements {contract.FullName}"
            : $"class not found in the plugin; classes implementing {contract.FullName}: {ListNames(implementations)}";
    }

    private static string NoImplementationReason(Type[] types, List<Type> implementations, Type contract)
    {
        var reason = $"no public concrete class implements {contract.FullName}";
        if (implementations.Count > 0)
        {
            var unusable = implementations.Take(MaxListed).Select(t => $"{t.FullName} ({ShapeProblem(t)})");
            return $"{reason}; found but not usable: {string.Join("; ", unusable)}";
        }

        var lookalikes = types.Where(t => t.GetInterfaces().Any(i => i.FullName == contract.FullName)).ToList();
        if (lookalikes.Count > 0)
        {
            return $"{reason}; {ListNames(lookalikes)} implement(s) {contract.FullName} from another copy of " +
                   $"{contract.Assembly.GetName().Name}; reference the contract with Private=\"false\" in the plugin project";
        }

        return reason;
    }

    // Best effort, for suggestions only: a type that cannot load is simply not suggested.
    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }

    private static string ListNames(IReadOnlyCollection<Type> types)
    {
        var names = types.Select(t => t.FullName ?? t.Name).Order(StringComparer.Ordinal).Take(MaxListed);
        var more = types.Count > MaxListed ? $" and {types.Count - MaxListed} more" : "";
        return string.Join(", ", names) + more;
    }

    private static string DescribeLocation(Assembly assembly) =>
        string.IsNullOrEmpty(assembly.Location) ? "loaded from memory" : $"loaded from {assembly.Location}";
}

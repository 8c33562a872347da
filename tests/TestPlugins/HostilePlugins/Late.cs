using System.Linq.Expressions;
using System.Reflection;

namespace LetsData.TestPlugins.HostilePlugins;

/// <summary>
/// Late binding the metadata scan never sees: types found by comparing names while listing an assembly's types
/// (no <c>Type.GetType(string)</c>), members found by name (reading metadata is allowed), and calls made through a
/// delegate that <see cref="System.Linq.EnumerableQuery{T}"/> compiles from an expression tree, inside
/// System.Linq.Queryable (no <c>MethodBase.Invoke</c>, no <c>LambdaExpression.Compile</c> in this assembly).
/// </summary>
internal static class Late
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;

    private static readonly IQueryProvider Provider = Array.Empty<object>().AsQueryable().Provider;

    /// <summary>Compiles <paramref name="lambda"/> without naming Compile: the query provider compiles "() =&gt; lambda".</summary>
    public static T Compile<T>(Expression<T> lambda) where T : Delegate => Provider.Execute<T>(lambda);

    /// <summary>A type by full name in an assembly loaded by name (<c>Assembly.Load(string)</c> is not fenced).</summary>
    public static Type FindType(string assemblyName, string fullName) => FindType(Assembly.Load(assemblyName), fullName);

    /// <summary>A type of System.Private.CoreLib by full name.</summary>
    public static Type CoreType(string fullName) => FindType(typeof(object).Assembly, fullName);

    public static Type FindType(Assembly assembly, string fullName) =>
        TypesOf(assembly).FirstOrDefault(t => t.FullName == fullName)
        ?? throw new TypeLoadException($"{fullName} not found in {assembly.GetName().Name}");

    /// <summary>Every type of <paramref name="assembly"/> that loads.</summary>
    public static Type[] TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>().ToArray();
        }
    }

    public static MethodInfo Method(Type type, string name, params Type[] parameterTypes) =>
        type.GetMethod(name, Everything, parameterTypes) ?? throw new MissingMethodException(type.FullName, name);

    /// <summary>Calls a static method by name.</summary>
    public static object? CallStatic(Type type, string name, Type[] parameterTypes, params object?[] arguments) =>
        Call(Method(type, name, parameterTypes), null, arguments);

    /// <summary>Calls an instance method by name on <paramref name="target"/>'s runtime type.</summary>
    public static object? CallInstance(object target, string name, Type[] parameterTypes, params object?[] arguments) =>
        Call(Method(target.GetType(), name, parameterTypes), target, arguments);

    public static object? Call(MethodInfo method, object? target, params object?[] arguments)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var array = Expression.Parameter(typeof(object[]), "arguments");
        var call = Expression.Call(method.IsStatic ? null : Expression.Convert(instance, method.DeclaringType!), method,
            Arguments(method.GetParameters(), array));
        Expression body = method.ReturnType == typeof(void)
            ? Expression.Block(call, Expression.Constant(null, typeof(object)))
            : Expression.Convert(call, typeof(object));
        return Compile(Expression.Lambda<Func<object?, object?[], object?>>(body, instance, array))(target, arguments);
    }

    /// <summary>Runs a constructor.</summary>
    public static object New(ConstructorInfo constructor, params object?[] arguments)
    {
        var array = Expression.Parameter(typeof(object[]), "arguments");
        var body = Expression.Convert(Expression.New(constructor, Arguments(constructor.GetParameters(), array)), typeof(object));
        return Compile(Expression.Lambda<Func<object?[], object>>(body, array))(arguments);
    }

    /// <summary>Reads a property by name.</summary>
    public static object? Property(object target, string name)
    {
        var property = target.GetType().GetProperty(name, Everything) ?? throw new MissingMemberException(target.GetType().FullName, name);
        return Call(property.GetMethod!, target);
    }

    /// <summary>One delegate reading all the given fields (static ones ignore the instance), boxed.</summary>
    public static Func<object?, object?[]> FieldReader(Type declaringType, IReadOnlyList<FieldInfo> fields)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var values = fields.Select(f => (Expression)Expression.Convert(
            Expression.Field(f.IsStatic ? null : Expression.Convert(instance, declaringType), f), typeof(object)));
        return Compile(Expression.Lambda<Func<object?, object?[]>>(Expression.NewArrayInit(typeof(object), values), instance));
    }

    private static IEnumerable<Expression> Arguments(ParameterInfo[] parameters, ParameterExpression array) =>
        parameters.Select((p, i) => (Expression)Expression.Convert(Expression.ArrayIndex(array, Expression.Constant(i)), p.ParameterType));
}

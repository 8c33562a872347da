using System.Reflection;

namespace LetsData.Runtime.Plugins;

/// <summary>
/// Turns the exceptions .NET throws when a plugin's types need an assembly that is not there (or not the
/// version the plugin was built with) into an error that names that assembly.
/// </summary>
internal static class DependencyFailure
{
    public static bool IsTypeLoadFailure(Exception exception) =>
        exception is ReflectionTypeLoadException or FileNotFoundException or FileLoadException
            or TypeLoadException or BadImageFormatException;

    public static PluginLoadException ToPluginLoadException(string pluginFile, string? typeName, Exception exception)
    {
        var failures = exception is ReflectionTypeLoadException typeLoad
            ? typeLoad.LoaderExceptions.OfType<Exception>().ToList()
            : [exception];

        var refusals = failures.Select(PluginLoadContext.RefusalIn).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (refusals.Count > 0)
        {
            return new PluginLoadException(pluginFile, typeName,
                $"a dependency of the plugin could not be loaded: {string.Join(" | ", refusals)}", exception);
        }

        var missing = failures.Select(MissingAssemblyName).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            var pluginName = Path.GetFileNameWithoutExtension(pluginFile);
            return new PluginLoadException(pluginFile, typeName,
                $"a dependency of the plugin could not be loaded: {string.Join(", ", missing)}. " +
                $"Deploy the plugin's whole build output next to {pluginName}.dll, and check that {pluginName}.deps.json " +
                "lists the dependency",
                exception);
        }

        var messages = failures.Select(f => f.Message).Distinct(StringComparer.Ordinal).Take(3);
        return new PluginLoadException(pluginFile, typeName,
            $"the plugin's types could not be loaded: {string.Join(" | ", messages)}", exception);
    }

    private static string? MissingAssemblyName(Exception exception)
    {
        var fileName = exception switch
        {
            FileNotFoundException notFound => notFound.FileName,
            FileLoadException badLoad => badLoad.FileName,
            BadImageFormatException badImage => badImage.FileName,
            _ => null,
        };
        if (string.IsNullOrEmpty(fileName))
        {
            return null;
        }

        // FileName is an assembly display name ("Lib, Version=1.2.0.0, Culture=neutral, ...") when an
        // assembly reference failed to resolve; show it the way people write it.
        try
        {
            var name = new AssemblyName(fileName);
            var detail = exception is FileNotFoundException ? "not found" : "could not be loaded";
            return name.Version is null ? $"{name.Name} ({detail})" : $"{name.Name} {name.Version} ({detail})";
        }
        catch (FileLoadException)
        {
            return fileName;
        }
        catch (ArgumentException)
        {
            return fileName;
        }
    }
}

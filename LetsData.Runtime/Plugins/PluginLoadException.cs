namespace LetsData.Runtime.Plugins;

/// <summary>
/// A plugin could not be loaded, or a class could not be found or created in it. The message is meant
/// for the customer who built the plugin: "&lt;plugin file&gt;: &lt;type name&gt;: &lt;reason&gt;".
/// </summary>
public sealed class PluginLoadException : Exception
{
    public PluginLoadException(string pluginFile, string? typeName, string reason, Exception? innerException = null)
        : base(FormatMessage(pluginFile, typeName, reason), innerException)
    {
        PluginFile = pluginFile;
        TypeName = typeName;
        Reason = reason;
    }

    /// <summary>The plugin assembly path, as resolved by the loader.</summary>
    public string PluginFile { get; }

    /// <summary>The plugin class concerned, or null when the error is about the plugin as a whole.</summary>
    public string? TypeName { get; }

    /// <summary>What went wrong and, where we can tell, what to do about it.</summary>
    public string Reason { get; }

    private static string FormatMessage(string pluginFile, string? typeName, string reason) =>
        typeName is null ? $"{pluginFile}: {reason}" : $"{pluginFile}: {typeName}: {reason}";
}

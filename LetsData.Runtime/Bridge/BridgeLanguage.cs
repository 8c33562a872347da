namespace LetsData.Runtime.Bridge;

/// <summary>The languages a LetsData project folder may be written in (<c>artifactImplementationLanguage</c>).</summary>
public enum BridgeLanguage
{
    /// <summary><c>"python"</c>: served by the Python host under <c>python3</c>.</summary>
    Python,

    /// <summary><c>"javascript"</c>: served by the Node host under <c>node</c> (20 or later).</summary>
    JavaScript,
}

/// <summary>Parsing the language field and finding each language's interpreter and host script.</summary>
public static class BridgeLanguages
{
    /// <summary>The variables that name an interpreter explicitly (copied into data-task processes).</summary>
    public static readonly IReadOnlyList<string> InterpreterVariables = ["LETSDATA_PYTHON", "LETSDATA_NODE"];

    /// <summary>True for <c>"python"</c> or <c>"javascript"</c> (any case); <paramref name="language"/> is then set.</summary>
    public static bool TryParse(string? value, out BridgeLanguage language)
    {
        language = BridgeLanguage.Python;
        if (string.Equals(value, "python", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        language = BridgeLanguage.JavaScript;
        return string.Equals(value, "javascript", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The language's name as the dataset writes it.</summary>
    public static string Name(this BridgeLanguage language) => language == BridgeLanguage.Python ? "python" : "javascript";

    /// <summary>The host script shipped next to the worker (Bridge/Hosts/...).</summary>
    public static string HostScript(this BridgeLanguage language) => language == BridgeLanguage.Python
        ? Path.Combine(AppContext.BaseDirectory, "Bridge", "Hosts", "python", "letsdata_bridge_host.py")
        : Path.Combine(AppContext.BaseDirectory, "Bridge", "Hosts", "node", "letsdata_bridge_host.mjs");

    /// <summary>
    /// The interpreter: the variable's path when set, else the first of the usual system paths, else one found on
    /// PATH. System paths come before PATH because data-task processes get no PATH (a clean environment): supervisor
    /// and data-task process must pick the same interpreter.
    /// </summary>
    public static string? FindInterpreter(this BridgeLanguage language, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var (variable, program) = language == BridgeLanguage.Python ? ("LETSDATA_PYTHON", "python3") : ("LETSDATA_NODE", "node");
        if (environment(variable) is { Length: > 0 } explicitPath)
        {
            return File.Exists(explicitPath) ? explicitPath : null;
        }

        var path = (environment("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "/usr/bin", "/usr/local/bin" }.Concat(path)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
    }
}

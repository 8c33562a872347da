namespace LetsData.Runtime.Bridge;

/// <summary>
/// A bridge host inside a confined data-task process. Its system-call filter refuses fork and exec, so stage 2 starts
/// the one host of the process before it installs the filter: the host inherits the process's Landlock fence,
/// no_new_privs and empty capabilities (not the filter, which comes after). A host that dies cannot be replaced here:
/// the process then ends and its supervisor starts a new one, as after any data-task process crash.
/// </summary>
internal static class BridgePrestart
{
    /// <summary>The language of the project to serve (set by the supervisor for a bridge dataset).</summary>
    public const string LanguageVariable = "LETSDATA_BRIDGE_LANGUAGE";

    /// <summary>The project folder to serve.</summary>
    public const string ProjectVariable = "LETSDATA_BRIDGE_PROJECT";

    /// <summary>The exit code of a confined process whose host died (it cannot start another).</summary>
    public const int HostGoneExitCode = 72;

    private static BridgeHost? _host;
    private static string? _folder;
    private static string? _failure;

    /// <summary>True in a process whose host was started before its filter: no other host can be started.</summary>
    public static bool Active => _folder is not null;

    /// <summary>Stage 2, before the filter: starts the host the environment names, if any; a line for the confinement report.</summary>
    public static string? StartFromEnvironment()
    {
        if (!BridgeLanguages.TryParse(Environment.GetEnvironmentVariable(LanguageVariable), out var language)
            || Environment.GetEnvironmentVariable(ProjectVariable) is not { Length: > 0 } folder)
        {
            return null;
        }

        _folder = folder;
        try
        {
            // The main thread starts it, and lives as long as the process: the host ends with the process.
            _host = BridgeHost.Start(new BridgeProject(language, folder), line => Console.Error.WriteLine($"{language.Name()} host: {line}"),
                dieWithStarter: true);
            return $"confined: the {language.Name()} bridge host, started before the system-call filter: same Landlock fence, no_new_privs, no capabilities (no seccomp filter of its own)";
        }
        catch (BridgeHostException e)
        {
            _failure = e.Message;
            return $"MISSING: no {language.Name()} bridge host: {e.Message}";
        }
    }

    /// <summary>The host started for <paramref name="project"/>, once; afterwards (it died) this process ends.</summary>
    /// <exception cref="BridgeHostException">The host could not start before the filter.</exception>
    public static BridgeHost Take(BridgeProject project)
    {
        if (_failure is { } failure)
        {
            throw new BridgeHostException(failure);
        }

        if (Interlocked.Exchange(ref _host, null) is { } host && string.Equals(Path.GetFullPath(_folder!), project.Folder, StringComparison.Ordinal))
        {
            return host;
        }

        Console.Error.WriteLine($"the bridge host of {project.Folder} is gone and this confined process may not start another: it ends, and its supervisor starts a new one");
        Console.Error.Flush();
        DataTasks.ImmediateExit.Now(HostGoneExitCode);
        throw new BridgeHostException("not reached");
    }
}

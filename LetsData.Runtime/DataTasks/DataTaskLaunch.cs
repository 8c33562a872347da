using System.Diagnostics;
using System.Text.Json;
using LetsData.Runtime.Confinement;
using LetsData.Runtime.DataTasks.Control;

namespace LetsData.Runtime.DataTasks;

/// <summary>
/// How a supervisor starts its data-task processes: the worker binary itself in <c>data-task</c> mode, with the
/// explicit environment of <see cref="DataTaskEnvironment"/>, its working directory, and a private folder of its own
/// (home and temp) under a per-user root only its user can enter.
/// </summary>
internal sealed class DataTaskLaunch
{
    public const string Command = "data-task";

    /// <summary>Stage 1: confine this thread, then execute the worker again as stage 2 (policy in base64 JSON).</summary>
    public const string ConfineOption = "--confine";

    /// <summary>Stage 2: the confined process; installs its system-call filter before anything else.</summary>
    public const string ConfinedOption = "--confined";

    private readonly string _root;

    /// <summary>Describes the launch.</summary>
    /// <param name="heapHardLimitBytes">Each process's GC heap limit; null for none.</param>
    /// <param name="confinement">The policy of a process (its private folder, the plugin assembly it loads); null: unconfined.</param>
    public DataTaskLaunch(long? heapHardLimitBytes, Func<string, string, ConfinementPolicy>? confinement)
    {
        HeapHardLimitBytes = heapHardLimitBytes;
        _confinement = ProcessConfinement.IsSupported ? confinement : null;
        (FileName, Arguments) = WorkerCommand();
        _root = PrivateRoot();
    }

    private readonly Func<string, string, ConfinementPolicy>? _confinement;

    public long? HeapHardLimitBytes { get; }

    /// <summary>A bridge project's language: each process starts its host (the plugin folder's parent is the project).</summary>
    public Bridge.BridgeLanguage? Bridge { get; init; }

    /// <summary>Whether processes are started confined (Linux, and a policy was given).</summary>
    public bool Confines => _confinement is not null;

    /// <summary>The program: the worker's apphost, or the .NET host when the worker runs as <c>dotnet letsdata.dll</c>.</summary>
    public string FileName { get; }

    /// <summary>The arguments before <see cref="Command"/> (the worker's dll for the .NET host).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>
    /// A new private folder (0700 on Unix) of this supervisor, named <c>&lt;pid&gt;-&lt;purpose&gt;-&lt;random&gt;</c> so
    /// that the next supervisor removes it if this one is killed before it could.
    /// </summary>
    public string CreatePrivateFolder(string purpose)
    {
        var path = Path.Combine(_root, $"{Environment.ProcessId}-{purpose}-{Guid.NewGuid().ToString("N")[..8]}");
        return PrivateWorkFolder.Open(path);
    }

    /// <summary>How to start a process whose private folder is <paramref name="privateFolder"/> and which loads <paramref name="pluginAssembly"/>.</summary>
    public ProcessStartInfo StartInfo(string privateFolder, string pluginAssembly)
    {
        var start = new ProcessStartInfo(FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        foreach (var argument in Arguments.Append(Command))
        {
            start.ArgumentList.Add(argument);
        }

        if (_confinement is not null)
        {
            start.ArgumentList.Add(ConfineOption);
            start.ArgumentList.Add(Encode(_confinement(privateFolder, pluginAssembly)));
        }

        // Nothing inherited: the allow-list only.
        start.Environment.Clear();
        foreach (var (name, value) in DataTaskEnvironment.For(privateFolder, HeapHardLimitBytes))
        {
            start.Environment[name] = value;
        }

        if (Bridge is { } language)
        {
            start.Environment[LetsData.Runtime.Bridge.BridgePrestart.LanguageVariable] = LetsData.Runtime.Bridge.BridgeLanguages.Name(language);
            start.Environment[LetsData.Runtime.Bridge.BridgePrestart.ProjectVariable] = Path.GetDirectoryName(Path.GetFullPath(pluginAssembly))!;
        }

        return start;
    }

    /// <summary>A policy as one command-line argument (base64 of its JSON: paths may hold any character).</summary>
    public static string Encode(ConfinementPolicy policy) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(policy, ControlJsonContext.Default.ConfinementPolicy));

    public static ConfinementPolicy Decode(string argument) =>
        JsonSerializer.Deserialize(Convert.FromBase64String(argument), ControlJsonContext.Default.ConfinementPolicy)
        ?? throw new FormatException("an empty confinement policy");

    /// <summary>The worker command again, as stage 2 of a confined start (stage 1 executes it).</summary>
    public static (string FileName, IReadOnlyList<string> Argv) ConfinedCommand(string encodedPolicy)
    {
        var (fileName, arguments) = WorkerCommand();
        return (fileName, [fileName, .. arguments, Command, ConfinedOption, encodedPolicy]);
    }

    private static (string FileName, IReadOnlyList<string> Arguments) WorkerCommand()
    {
        var dll = typeof(DataTaskLaunch).Assembly.Location;
        var apphost = Path.Combine(Path.GetDirectoryName(dll)!, OperatingSystem.IsWindows() ? "letsdata.exe" : "letsdata");
        if (File.Exists(apphost))
        {
            return (apphost, []);
        }

        // A test host or `dotnet letsdata.dll`: the .NET host runs the worker's dll.
        var host = Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath ? hostPath
            : "dotnet";
        return (host, [dll]);
    }

    // Shadow copies and data-task folders of this user only: a root another user could write into would let them
    // swap what a data-task process loads.
    private static string PrivateRoot()
    {
        var root = PrivateWorkFolder.Root;
        Plugins.Reload.OrphanedShadowCopies.Remove(root);
        return root;
    }
}

using System.Collections.ObjectModel;
using System.Diagnostics;
using LetsData.Runtime.Confinement;

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

    /// <summary>
    /// Stage 1 started before its policy is known (<see cref="EarlyStartInfo"/>): it boots, then reads the policy and
    /// stage 2's environment from standard input (<see cref="ConfinementFrame"/>) and goes on as <see cref="ConfineOption"/>.
    /// </summary>
    public const string ConfineFromInputOption = "--confine-from-input";

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
    public string CreatePrivateFolder(string purpose) => CreatePrivateFolder(_root, purpose);

    /// <summary><see cref="CreatePrivateFolder(string)"/> under <paramref name="root"/> (before a launch exists).</summary>
    public static string CreatePrivateFolder(string root, string purpose)
    {
        var path = Path.Combine(root, $"{Environment.ProcessId}-{purpose}-{Guid.NewGuid().ToString("N")[..8]}");
        return PrivateWorkFolder.Open(path);
    }

    /// <summary>How to start a process whose private folder is <paramref name="privateFolder"/> and which loads <paramref name="pluginAssembly"/>.</summary>
    public ProcessStartInfo StartInfo(string privateFolder, string pluginAssembly) =>
        NewStartInfo(FileName,
            _confinement is null ? [.. Arguments, Command] : [.. Arguments, Command, ConfineOption, Encode(_confinement(privateFolder, pluginAssembly))],
            EnvironmentFor(privateFolder, pluginAssembly));

    private Dictionary<string, string> EnvironmentFor(string privateFolder, string pluginAssembly)
    {
        var environment = DataTaskEnvironment.For(privateFolder, HeapHardLimitBytes);
        if (Bridge is { } language)
        {
            environment[LetsData.Runtime.Bridge.BridgePrestart.LanguageVariable] = LetsData.Runtime.Bridge.BridgeLanguages.Name(language);
            environment[LetsData.Runtime.Bridge.BridgePrestart.ProjectVariable] = Path.GetDirectoryName(Path.GetFullPath(pluginAssembly))!;
        }

        return environment;
    }

    /// <summary>
    /// How to start stage 1 of a confined process before the dataset is read (<see cref="ConfineFromInputOption"/>): its
    /// runtime boots while the supervisor prepares, and it waits for <see cref="ConfinementFrame"/> on its standard input.
    /// Its own environment is the allow-list without the dataset's settings; stage 2's comes with the frame.
    /// </summary>
    public static ProcessStartInfo EarlyStartInfo(string privateFolder)
    {
        var (fileName, arguments) = WorkerCommand();
        return NewStartInfo(fileName, [.. arguments, Command, ConfineFromInputOption], DataTaskEnvironment.For(privateFolder, heapHardLimitBytes: null));
    }

    // The channel is the process's standard input and output, its log its standard error; nothing of this process's
    // environment is inherited: the allow-list only.
    private static ProcessStartInfo NewStartInfo(string fileName, IEnumerable<string> arguments, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>
    /// What an early stage 1 reads before it confines itself: a 4-byte little-endian length, then the encoded policy and
    /// stage 2's <c>NAME=VALUE</c> variables, each ended by a NUL (neither can hold one: execve takes C strings); with
    /// <c>more</c> of the supervisor's own (what process 1 may prepare before its start message).
    /// </summary>
    public byte[] ConfinementFrame(string privateFolder, string pluginAssembly, IReadOnlyDictionary<string, string>? more = null)
    {
        if (_confinement is null)
        {
            throw new InvalidOperationException("this launch starts its processes unconfined");
        }

        var text = new System.Text.StringBuilder(Encode(_confinement(privateFolder, pluginAssembly))).Append('\0');
        var environment = EnvironmentFor(privateFolder, pluginAssembly);
        foreach (var (name, value) in more ?? ReadOnlyDictionary<string, string>.Empty)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in environment)
        {
            text.Append(name).Append('=').Append(value).Append('\0');
        }

        var payload = System.Text.Encoding.UTF8.GetBytes(text.ToString());
        var frame = new byte[4 + payload.Length];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>Stage 1's side of <see cref="ConfinementFrame"/>: reads exactly one frame, not a byte of the control channel after it.</summary>
    /// <exception cref="EndOfStreamException">The supervisor went away before it sent the frame.</exception>
    public static (string EncodedPolicy, Dictionary<string, string> Environment) ReadConfinementFrame(Stream input)
    {
        const int MaxFrameBytes = 1 << 20;
        var length = new byte[4];
        input.ReadExactly(length);
        var size = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(length);
        if (size is <= 0 or > MaxFrameBytes)
        {
            throw new InvalidDataException($"a confinement frame of {size} bytes (at most {MaxFrameBytes})");
        }

        var payload = new byte[size];
        input.ReadExactly(payload);
        var parts = System.Text.Encoding.UTF8.GetString(payload).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in parts.Skip(1))
        {
            var equals = variable.IndexOf('=', StringComparison.Ordinal);
            environment[variable[..equals]] = variable[(equals + 1)..];
        }

        return (parts[0], environment);
    }

    /// <summary>A policy as one command-line argument (<see cref="ConfinementPolicyText"/>: paths may hold any character but NUL).</summary>
    public static string Encode(ConfinementPolicy policy) => ConfinementPolicyText.Encode(policy);

    /// <exception cref="FormatException">Not an encoded policy.</exception>
    public static ConfinementPolicy Decode(string argument) => ConfinementPolicyText.Decode(argument);

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

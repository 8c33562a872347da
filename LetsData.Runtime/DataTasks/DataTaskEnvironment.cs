namespace LetsData.Runtime.DataTasks;

/// <summary>
/// The environment a data-task process starts with: nothing inherited by default. A short allow-list of variables that
/// carry no secret (locale, time zone, where the .NET runtime is, AWS region and endpoints) is copied from the
/// supervisor; the rest is set here. Credentials never travel this way: they arrive over the control channel.
/// </summary>
internal static class DataTaskEnvironment
{
    /// <summary>Copied from the supervisor's environment when set there.</summary>
    public static readonly IReadOnlyList<string> Inherited =
    [
        "LANG", "LC_ALL", "LC_CTYPE", "TZ", "NO_COLOR",
        "DOTNET_ROOT", "DOTNET_ROOT_X64", "DOTNET_ROOT_ARM64",
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_KINESIS",
        "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "AWS_ENDPOINT_URL_SQS", Aws.S3Clients.ForcePathStyleVariable,
        Aws.SageMaker.SageMakerRuntimeClient.EndpointVariable,
        .. Bridge.BridgeLanguages.InterpreterVariables,
    ];

    /// <summary>Tiered compilation off in a data-task process (see <see cref="For"/>).</summary>
    public const string TieredCompilationVariable = "DOTNET_TieredCompilation";

    /// <summary>The variables of a data-task process whose private folder is <paramref name="privateFolder"/>.</summary>
    /// <param name="privateFolder">Its home and temp folder (created 0700 by the supervisor, removed after it).</param>
    /// <param name="heapHardLimitBytes">The GC heap limit (<c>DOTNET_GCHeapHardLimit</c>); null for none.</param>
    /// <param name="lookup">Reads the supervisor's environment (tests pass their own).</param>
    public static Dictionary<string, string> For(string privateFolder, long? heapHardLimitBytes, Func<string, string?>? lookup = null)
    {
        lookup ??= Environment.GetEnvironmentVariable;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Inherited)
        {
            if (lookup(name) is { Length: > 0 } value)
            {
                environment[name] = value;
            }
        }

        environment["HOME"] = privateFolder;
        environment["TMPDIR"] = privateFolder;
        // No diagnostics IPC socket (it would be a Unix socket in the temp folder) and no telemetry.
        environment["DOTNET_EnableDiagnostics"] = "0";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The process has its credentials in memory; the SDK must not go looking for an instance role.
        environment["AWS_EC2_METADATA_DISABLED"] = "true";
        // A data-task process runs one hot loop over precompiled code (the composite image) and one plugin: its code is
        // used as precompiled and the plugin compiled optimized once, instead of being re-compiled in the background
        // while the task needs that CPU (docs/benchmarks.md).
        environment[TieredCompilationVariable] = "0";
        if (heapHardLimitBytes is { } limit)
        {
            environment["DOTNET_GCHeapHardLimit"] = limit.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        }

        return environment;
    }
}

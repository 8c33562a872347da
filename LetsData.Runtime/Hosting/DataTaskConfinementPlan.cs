using System.Runtime.InteropServices;
using LetsData.Runtime.Confinement;
using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Hosting;

/// <summary>
/// What a dataset's data-task processes may touch, built from the dataset alone: read the .NET runtime, the worker, the
/// system libraries, the dataset file, the plugin's folder and the input; write the local output and error folders and
/// the process's private folder; connect by TCP only to the ports of the AWS endpoints the dataset's connectors use
/// (no socket at all for a dataset of local files). Nothing else — not <c>$HOME</c>, not other processes' <c>/proc</c>.
/// </summary>
internal sealed class DataTaskConfinementPlan(string datasetFile, Dataset dataset, bool writesOutputs)
{
    private const int InternetFamily = 2;
    private const int Internet6Family = 10;

    /// <summary>The endpoint variables of the services a dataset's connectors may call.</summary>
    private static readonly string[] EndpointVariables =
        ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_KINESIS", "AWS_ENDPOINT_URL_DYNAMODB",
            "AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "AWS_ENDPOINT_URL_SQS", Aws.SageMaker.SageMakerRuntimeClient.EndpointVariable];

    /// <summary>The policy of one process: its private folder and the plugin folder it loads.</summary>
    public ConfinementPolicy For(string privateFolder, string pluginAssembly, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var usesAws = DatasetKeys.UsesAws(dataset);
        var read = new List<string>(ConfinementPolicy.DotnetRuntimeReadOnlyPaths)
        {
            Path.GetFullPath(datasetFile),
            Path.GetDirectoryName(Path.GetFullPath(pluginAssembly))!,
            "/usr/share/zoneinfo", "/etc/localtime",
        };
        read.AddRange(Bridge.BridgeConfinement.ReadPaths(dataset.Bridge));
        if (dataset.Read.LocalFolder is { } inputs)
        {
            read.Add(Path.GetFullPath(inputs));
        }

        if (dataset.ManifestSource is { } manifest && File.Exists(manifest))
        {
            read.Add(Path.GetFullPath(manifest));
        }

        var bridgeEndpointPort = Bridge.BridgeConfinement.EndpointPort(dataset.Bridge);
        if (usesAws || bridgeEndpointPort is not null)
        {
            // Name resolution and TLS.
            read.AddRange(["/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf", "/etc/ssl",
                "/etc/pki", "/usr/share/ca-certificates"]);
        }

        var write = new List<string> { privateFolder, "/dev/null" };
        if (writesOutputs)
        {
            write.AddRange(DataTaskLaunchPlan.LocalOutputFolders(dataset));
        }

        return new ConfinementPolicy
        {
            ReadExecutePaths = [DotnetRoot(), AppContext.BaseDirectory, "/usr/lib", "/lib", "/lib64", "/usr/lib64",
                .. Bridge.BridgeConfinement.InterpreterPaths(dataset.Bridge, environment)],
            ReadOnlyPaths = read.Distinct(StringComparer.Ordinal).ToList(),
            ReadWritePaths = write,
            TcpConnectPorts = [.. (usesAws ? EndpointPorts(environment) : []).Union(bridgeEndpointPort is { } port ? [port] : [])],
            SocketFamilies = usesAws || bridgeEndpointPort is not null ? [InternetFamily, Internet6Family] : [],
        };
    }

    // The ports of the configured endpoints, and HTTPS's when a service the dataset may call has none configured.
    private static List<int> EndpointPorts(Func<string, string?> environment)
    {
        var ports = new SortedSet<int>();
        var unconfigured = false;
        foreach (var name in EndpointVariables.Skip(1))
        {
            var value = environment(name) ?? environment(EndpointVariables[0]);
            if (value is { Length: > 0 } && Uri.TryCreate(value, UriKind.Absolute, out var uri))
            {
                ports.Add(uri.Port);
            }
            else
            {
                unconfigured = true;
            }
        }

        if (unconfigured)
        {
            ports.Add(443);
        }

        return [.. ports];
    }

    // The folder that holds shared/Microsoft.NETCore.App/<version>/ (and host/fxr, which the apphost reads). A
    // self-contained worker carries the runtime in its own folder: that folder, never three levels above it.
    private static string DotnetRoot()
    {
        var framework = new DirectoryInfo(RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar));
        return framework.Parent is { Name: "Microsoft.NETCore.App", Parent: { Name: "shared", Parent: { } root } }
            ? root.FullName
            : framework.FullName;
    }
}

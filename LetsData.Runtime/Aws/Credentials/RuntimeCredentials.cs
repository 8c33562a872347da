using System.Collections.Concurrent;
using Amazon.Runtime;
using Amazon.SecurityToken;
using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Aws.Credentials;

/// <summary>
/// Where every AWS client the runtime builds (S3, DynamoDB, Kinesis; connectors, plugin-zip fetch, manifest read) gets
/// its credentials: the dataset's assumed role when it names one (<c>accessGrantRoleArn</c>), else the worker's own
/// credentials captured at start-up. One <see cref="AssumedRoleCredentials"/> per role is shared by all clients.
/// </summary>
internal sealed class RuntimeCredentials : IDisposable
{
    /// <summary>The endpoint variable for STS (an STS-compatible endpoint, a proxy), as the SDK names service endpoints.</summary>
    public const string StsEndpointVariable = "AWS_ENDPOINT_URL_STS";

    private readonly ConcurrentDictionary<AccessGrant, Lazy<AssumedRoleCredentials>> _assumed = new();
    private readonly Action<AmazonSecurityTokenServiceConfig>? _configureSts;
    private readonly TimeProvider? _time;

    /// <summary>Creates a provider.</summary>
    /// <param name="worker">The worker's own credentials; null leaves them to the SDK's default chain (library use, tests).</param>
    /// <param name="configureSts">Adjusts the STS client configuration further (tests put a fake HTTP handler in).</param>
    /// <param name="time">The clock assumed credentials' expiry is judged by; null is the system clock.</param>
    public RuntimeCredentials(AWSCredentials? worker, Action<AmazonSecurityTokenServiceConfig>? configureSts = null, TimeProvider? time = null)
    {
        Worker = worker;
        _configureSts = configureSts;
        _time = time;
    }

    /// <summary>
    /// The process's provider. Until <see cref="CaptureForProcess"/> runs (the worker calls it at start-up) it holds no
    /// worker credentials, and clients fall back to the SDK's default chain as a library would.
    /// </summary>
    public static RuntimeCredentials Current { get; private set; } = new(worker: null);

    /// <summary>The worker's own credentials; null means the SDK's default chain.</summary>
    public AWSCredentials? Worker { get; }

    /// <summary>
    /// Captures the worker's credentials and scrubs them from the environment (<see cref="WorkerCredentials.CaptureAndScrub"/>),
    /// making them <see cref="Current"/>'s. Call once, before any plugin is loaded.
    /// </summary>
    /// <returns>Where the credentials came from, for the log.</returns>
    public static CapturedCredentials CaptureForProcess()
    {
        var captured = WorkerCredentials.CaptureAndScrub();
        Current = new RuntimeCredentials(captured.Credentials);
        return captured;
    }

    /// <summary>
    /// Makes <paramref name="supplied"/> the credentials of every dataset of this process (a data-task process: its
    /// supervisor assumed the role, or chose the keys, and handed them over). No STS call is made from here.
    /// </summary>
    internal static void UseSupplied(AWSCredentials? supplied) => Current = new RuntimeCredentials(supplied) { _suppliedOnly = true };

    private bool _suppliedOnly;

    /// <summary>The credentials a dataset's clients sign with: its role's when it names one, else <see cref="Worker"/>.</summary>
    public AWSCredentials? For(Dataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.AccessGrant is { } grant && !_suppliedOnly ? Assumed(grant) : Worker;
    }

    /// <summary>The shared, refreshing credentials of <paramref name="grant"/>'s role (nothing is requested until first use).</summary>
    /// <exception cref="AmazonClientException">The STS client could not be set up (no region, a bad endpoint variable).</exception>
    public AssumedRoleCredentials Assumed(AccessGrant grant) =>
        _assumed.GetOrAdd(grant, g => new Lazy<AssumedRoleCredentials>(
            () => new AssumedRoleCredentials(CreateStsClient(), g, ownsSts: true, _time))).Value;

    /// <summary>
    /// Assumes the dataset's role now (when it names one), so that a refusal is a dataset problem naming
    /// <c>accessGrantRoleArn</c> before anything runs rather than a failure of every task. True when usable.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="problems">Receives the problem when the role cannot be assumed.</param>
    public bool TryAssume(Dataset dataset, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (dataset.AccessGrant is not { } grant || _suppliedOnly)
        {
            return true;
        }

        try
        {
            // Start-up is synchronous (run, validate and tests share it); the console host has no synchronization context.
            Assumed(grant).GetCredentialsAsync().GetAwaiter().GetResult();
            return true;
        }
        catch (AccessGrantException e)
        {
            problems.Add(e.Message);
        }
        catch (AmazonClientException e)
        {
            problems.Add($"{AccessGrant.RoleArnField}: the STS client could not be set up: {e.Message} (set AWS_REGION; {StsEndpointVariable} for another STS endpoint)");
        }

        return false;
    }

    private AmazonSecurityTokenServiceClient CreateStsClient()
    {
        var config = new AmazonSecurityTokenServiceConfig();
        // Set explicitly rather than trusting every SDK version to read the service-specific variable.
        if (Environment.GetEnvironmentVariable(StsEndpointVariable) is { Length: > 0 } endpoint)
        {
            config.ServiceURL = endpoint;
        }

        _configureSts?.Invoke(config);
        return Worker is null ? new AmazonSecurityTokenServiceClient(config) : new AmazonSecurityTokenServiceClient(Worker, config);
    }

    /// <summary>Disposes the assumed-role credentials (and their STS clients).</summary>
    public void Dispose()
    {
        foreach (var assumed in _assumed.Values.Where(l => l.IsValueCreated))
        {
            assumed.Value.Dispose();
        }

        _assumed.Clear();
    }
}

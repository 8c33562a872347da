using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Connectors;
using LetsData.Runtime.Plugins.Artifacts;

namespace LetsData.Runtime.Datasets;

/// <summary>A validated dataset with its paths resolved: what the worker runs.</summary>
/// <param name="Config">The dataset file as read, its relative local paths made absolute (<see cref="DatasetPaths"/>).</param>
/// <param name="Name">The dataset's name (letters and digits).</param>
/// <param name="ReaderType">The reader type the plugin implements.</param>
/// <param name="ArtifactFile">The plugin DLL's full path, or an <c>s3://</c> plugin zip.</param>
/// <param name="Read">The read connector's settings, typed by connector (e.g. <c>S3InputLocation</c>).</param>
/// <param name="Write">The write connector's settings.</param>
/// <param name="Errors">The error connector's settings.</param>
/// <param name="Concurrency">Task threads.</param>
/// <param name="MaxRecordBytes">Ceiling for one record.</param>
/// <param name="ManifestText">The manifest's text (empty for streams and tables).</param>
/// <param name="ManifestSource">Where the manifest came from, for messages.</param>
public sealed record Dataset(
    DatasetConfig Config,
    string Name,
    ReaderType ReaderType,
    string ArtifactFile,
    ReadConnectorSettings Read,
    WriteConnectorSettings Write,
    WriteConnectorSettings Errors,
    int Concurrency,
    int MaxRecordBytes,
    string ManifestText,
    string ManifestSource)
{
    public ReadConnectorConfig ReadConnector => Config.ReadConnector!;

    /// <summary>Where documents go, for messages: a folder, <c>s3://bucket/prefix</c>, <c>kinesis://stream</c> or <c>dynamodb://table</c>.</summary>
    public string OutputPath => Write.Location;

    /// <summary>Where error records go, for messages: a folder or <c>s3://bucket/prefix</c>.</summary>
    public string ErrorOutputPath => Errors.Location;

    /// <summary>
    /// Set when <c>artifactFile</c> is an <c>s3://</c> plugin zip: <see cref="ArtifactFile"/> is then that URI, and the
    /// assembly to load comes from the plugin cache (see <see cref="S3PluginArtifactFetcher"/>).
    /// </summary>
    public PluginArtifactLocation? PluginArtifact { get; init; }

    /// <summary>
    /// Set for an <c>S3ReaderS3LinkManifestFile</c>: <see cref="ManifestText"/> is empty until the object is read
    /// (see <see cref="S3LinkManifestReader"/>).
    /// </summary>
    public S3ObjectUri? ManifestS3Object { get; init; }

    /// <summary>How plugin calls are contained: call timeout, leaked-thread limit, per-task allocation limit.</summary>
    public PluginCallLimits Limits { get; init; } = PluginCallLimits.Default;

    /// <summary>
    /// Set for a Python or JavaScript project (<c>artifactImplementationLanguage</c>): <see cref="ArtifactFile"/> is then
    /// the project's <c>letsdata_interfaces</c> folder, served by a bridge host (see <see cref="Bridge.BridgePreparation"/>).
    /// </summary>
    public Bridge.BridgeProject? Bridge { get; init; }

    /// <summary>The role the dataset's clients act as (<c>accessGrantRoleArn</c>); null: the worker's own credentials.</summary>
    public AccessGrant? AccessGrant { get; init; }

    /// <summary>
    /// Set for compute engine <c>LAMBDA_AND_SAGEMAKER</c>: every document the reader returns is vectorized by the
    /// plugin's <c>ISagemakerVectorsInterface</c> and a SageMaker endpoint before it is written.
    /// </summary>
    public SagemakerVectorization? Vectorization { get; init; }

    /// <summary>
    /// <c>computeEngine.timeoutInSeconds</c> (LetsData's Lambda timeout): the task time box when <c>--max-task-seconds</c>
    /// is not given; null: none.
    /// </summary>
    public TimeSpan? TaskTimeBox { get; init; }

    /// <summary>The folder the dataset's relative paths were resolved against (<see cref="DatasetPaths"/>), a full path.</summary>
    public string PathsFolder { get; init; } = Environment.CurrentDirectory;

    /// <summary>The plugins folder a relative <c>artifactFile</c> was resolved against, and why it is that one.</summary>
    public Plugins.PluginsFolder Plugins { get; init; } = new(Environment.CurrentDirectory, "--plugins");

    /// <summary>One line per LetsData field accepted but not used here, saying why; <c>validate</c> and <c>run</c> print them.</summary>
    public IReadOnlyList<string> Notices { get; init; } = [];
}

/// <summary>The containment settings of <c>computeEngine</c>; <see cref="CallTimeout"/> null = no limit.</summary>
public sealed record PluginCallLimits(TimeSpan? CallTimeout, int MaxLeakedThreads, long? MaxTaskAllocatedBytes)
{
    public static PluginCallLimits Default { get; } =
        new(Engine.EngineOptions.DefaultPluginCallTimeout, Engine.EngineOptions.DefaultMaxLeakedThreads, null);

    /// <summary><c>computeEngine.memoryLimitInMegabytes</c>: each data-task process's managed heap limit; null for the default.</summary>
    public long? MemoryLimitBytes { get; init; }
}

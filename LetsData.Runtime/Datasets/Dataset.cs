using LetsData.Runtime.Aws;
using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Plugins.Artifacts;
using LetsData.Runtime.Writing.S3;

namespace LetsData.Runtime.Datasets;

/// <summary>A validated dataset with its paths resolved: what the worker runs.</summary>
public sealed record Dataset(
    DatasetConfig Config,
    string Name,
    ReaderType ReaderType,
    string ArtifactFile,
    string RootPath,
    string OutputPath,
    string ErrorOutputPath,
    int Concurrency,
    int MaxRecordBytes,
    string ManifestText,
    string ManifestSource)
{
    public ReadConnectorConfig ReadConnector => Config.ReadConnector!;

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

    /// <summary>Where the input files come from. <see cref="RootPath"/> is empty unless it is <see cref="ReadDestination.LocalFiles"/>.</summary>
    public ReadDestination ReadDestination { get; init; } = ReadDestination.LocalFiles;

    /// <summary>The S3 input location; set when <see cref="ReadDestination"/> is <see cref="ReadDestination.S3"/>.</summary>
    public S3InputLocation? S3Input { get; init; }

    /// <summary>
    /// The write connector's S3 location; null for <c>LocalFiles</c>. When set, <see cref="OutputPath"/> is its
    /// <c>s3://bucket/prefix</c> form (for messages).
    /// </summary>
    public S3OutputLocation? S3Output { get; init; }

    /// <summary>The error connector's S3 location; null for <c>LocalFiles</c> (then <see cref="ErrorOutputPath"/> is the folder).</summary>
    public S3OutputLocation? S3ErrorOutput { get; init; }

    /// <summary>How plugin calls are contained: call timeout, leaked-thread limit, per-task allocation limit.</summary>
    public PluginCallLimits Limits { get; init; } = PluginCallLimits.Default;

    /// <summary>The Kinesis stream read; set when <see cref="ReadDestination"/> is <see cref="ReadDestination.Kinesis"/>.</summary>
    public KinesisInput? KinesisInput { get; init; }

    /// <summary>The table scanned; set when <see cref="ReadDestination"/> is <see cref="ReadDestination.DynamoDB"/>.</summary>
    public DynamoDBInput? DynamoDBInput { get; init; }

    /// <summary>The write connector's stream when it is Kinesis (then <see cref="OutputPath"/> is <c>kinesis://stream</c>).</summary>
    public KinesisOutput? KinesisOutput { get; init; }

    /// <summary>The write connector's table when it is DynamoDB (then <see cref="OutputPath"/> is <c>dynamodb://table</c>).</summary>
    public DynamoDBOutput? DynamoDBOutput { get; init; }

    /// <summary>
    /// Set for a Python or JavaScript project (<c>artifactImplementationLanguage</c>): <see cref="ArtifactFile"/> is then
    /// the project's <c>letsdata_interfaces</c> folder, served by a bridge host (see <see cref="Bridge.BridgePreparation"/>).
    /// </summary>
    public Bridge.BridgeProject? Bridge { get; init; }

    /// <summary>The role the dataset's clients act as (<c>accessGrantRoleArn</c>); null: the worker's own credentials.</summary>
    public AccessGrant? AccessGrant { get; init; }
}

/// <summary>The containment settings of <c>computeEngine</c>; <see cref="CallTimeout"/> null = no limit.</summary>
public sealed record PluginCallLimits(TimeSpan? CallTimeout, int MaxLeakedThreads, long? MaxTaskAllocatedBytes)
{
    public static PluginCallLimits Default { get; } =
        new(Engine.EngineOptions.DefaultPluginCallTimeout, Engine.EngineOptions.DefaultMaxLeakedThreads, null);

    /// <summary><c>computeEngine.memoryLimitInMegabytes</c>: each data-task process's managed heap limit; null for the default.</summary>
    public long? MemoryLimitBytes { get; init; }
}

/// <summary>The read connector's <c>connectorDestination</c> values this worker supports.</summary>
public enum ReadDestination
{
    LocalFiles,
    S3,
    Kinesis,
    DynamoDB,
}

/// <summary>Where each shard's reading starts.</summary>
public enum KinesisStartFrom
{
    /// <summary>The oldest record kept (TRIM_HORIZON).</summary>
    Earliest,

    /// <summary>Records put after the task starts (LATEST).</summary>
    Latest,

    /// <summary>A given sequence number per shard (AT_SEQUENCE_NUMBER).</summary>
    AtSequenceNumber,
}

/// <summary>
/// A Kinesis read connector: one task per shard of <see cref="StreamName"/>. <see cref="Continuous"/> tasks keep
/// polling; otherwise a task ends when its shard has no newer records.
/// </summary>
public sealed record KinesisInput(string StreamName, KinesisStartFrom StartFrom,
    IReadOnlyDictionary<string, string> StartSequenceNumbers, bool Continuous);

/// <summary>A DynamoDB table read connector: a parallel scan of <see cref="TableName"/>, one task per segment.</summary>
public sealed record DynamoDBInput(string TableName, int TotalSegments);

/// <summary>A Kinesis write connector: one record per document, gzip-compressed when <see cref="CompressRecords"/>.</summary>
public sealed record KinesisOutput(string StreamName, bool CompressRecords);

/// <summary>A DynamoDB write connector: one item per document; the document id goes to <see cref="KeyAttributeName"/> (null: the table's partition key).</summary>
public sealed record DynamoDBOutput(string TableName, string? KeyAttributeName);

/// <summary>An S3 read connector's objects: key = <see cref="Prefix"/> + manifest file name.</summary>
public sealed record S3InputLocation(string BucketName, string Prefix, bool? ForcePathStyle);

using LetsData.Runtime.Aws;
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
}

/// <summary>The read connector's <c>connectorDestination</c> values this worker supports.</summary>
public enum ReadDestination
{
    LocalFiles,
    S3,
}

/// <summary>An S3 read connector's objects: key = <see cref="Prefix"/> + manifest file name.</summary>
public sealed record S3InputLocation(string BucketName, string Prefix, bool? ForcePathStyle);

using Amazon.Runtime;
using Amazon.S3;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading;

namespace LetsData.Runtime.Connectors;

/// <summary>
/// A read connector (<c>readConnector.connectorDestination</c>): validates its part of the section, then opens the
/// sources a run reads and lists its tasks. One implementation per folder under <c>Connectors/</c>, listed once in
/// <see cref="ConnectorRegistry"/>.
/// </summary>
internal interface IReadConnector
{
    /// <summary>The <c>connectorDestination</c> value, e.g. <c>S3</c>.</summary>
    string Destination { get; }

    /// <summary>What it reads, for messages (e.g. <c>a Kinesis stream</c>).</summary>
    string ReadsWhat { get; }

    /// <summary>True when the tasks come from a manifest of files (any file reader type reads them).</summary>
    bool ReadsFiles { get; }

    /// <summary>The only reader type that reads this connector; null for file connectors.</summary>
    ReaderType? RequiredReaderType { get; }

    /// <summary>
    /// Checks the section's location fields (each problem names its field path); the settings when they are complete.
    /// Streams and tables return null here and build their settings in <see cref="ValidateTasks"/>.
    /// </summary>
    ReadConnectorSettings? ValidateSection(ReadConnectorConfig read, List<string> problems);

    /// <summary>
    /// Checks what decides the tasks (a stream's manifest options, a scan's segments) and returns the final settings;
    /// file connectors return <paramref name="section"/> (the loader reads their manifest).
    /// </summary>
    ReadConnectorSettings? ValidateTasks(ReadConnectorSettings? section, ReadConnectorConfig read, ManifestFileConfig? manifest,
        int concurrency, List<string> problems);

    /// <summary>Opens the sources and lists the tasks, or returns null with the problems.</summary>
    Task<ConnectorInputs?> TryOpenAsync(ReadConnectorSettings settings, InputRequest request);
}

/// <summary>A read connector whose tasks read files named by a manifest.</summary>
internal interface IFileReadConnector : IReadConnector
{
    /// <summary>The file source, or null with a problem when it cannot be set up (e.g. no AWS region configured).</summary>
    IFileSource? TryCreateFiles(ReadConnectorSettings settings, List<string> problems, Action<AmazonS3Config>? configureS3,
        AWSCredentials? credentials);
}

/// <summary>What opening a read connector needs.</summary>
/// <param name="ManifestTasks">The manifest's tasks (file connectors run them).</param>
/// <param name="Credentials">What the connector's clients sign with; null: none needed or the SDK's default.</param>
/// <param name="Problems">Where problems are added.</param>
/// <param name="StopWhenCaughtUp">A continuous stream reader stops at the end of the stream (the smoke run of <c>validate</c>).</param>
/// <param name="CancellationToken">Stops listing shards.</param>
internal sealed record InputRequest(IReadOnlyList<DataTaskDefinition> ManifestTasks, AWSCredentials? Credentials, List<string> Problems,
    bool StopWhenCaughtUp, CancellationToken CancellationToken);

/// <summary>A read connector opened for a run: where tasks read from, the tasks, and what to dispose after the run.</summary>
internal sealed record ConnectorInputs(RecordSources Sources, IReadOnlyList<DataTaskDefinition> Tasks, IDisposable? Owned);

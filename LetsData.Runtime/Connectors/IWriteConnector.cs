using Amazon.Runtime;
using Amazon.S3;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Connectors;

/// <summary>
/// A write connector (<c>writeConnector</c> or <c>errorConnector</c>): validates its section and makes the writer
/// factories. One implementation per folder under <c>Connectors/</c>, listed once in <see cref="ConnectorRegistry"/>.
/// </summary>
internal interface IWriteConnector
{
    /// <summary>The <c>connectorDestination</c> value, e.g. <c>Kinesis</c>.</summary>
    string Destination { get; }

    /// <summary>Whether it can be the error connector too (streams and tables take documents only).</summary>
    bool WritesErrors { get; }

    /// <summary>Checks the section; each problem names <paramref name="field"/>'s path. The settings, or null when unusable.</summary>
    WriteConnectorSettings? Validate(string field, WriteConnectorConfig connector, List<string> problems);

    /// <summary>The document writers' factory (disposed after the run when <see cref="IDisposable"/>).</summary>
    IDocumentSinkFactory CreateDocumentSinks(WriteConnectorSettings settings, SinkSetup setup);

    /// <summary>The error writers' factory; only when <see cref="WritesErrors"/>.</summary>
    IErrorSinkFactory CreateErrorSinks(WriteConnectorSettings settings, SinkSetup setup);

    /// <summary>The problem to report when creating a factory threw <paramref name="e"/> setting up its client; null: not a set-up failure.</summary>
    string? SetupProblem(string field, Exception e);

    /// <summary>
    /// <c>run --create-destinations</c>: creates the destination when it does not exist and waits until it takes
    /// writes. A line saying what was done (created, or found and left alone); null when the connector has nothing
    /// to create (folders and prefixes appear as they are written). Throws when the destination cannot be created.
    /// </summary>
    Task<string?> CreateDestinationAsync(WriteConnectorSettings settings, SinkSetup setup, CancellationToken cancellationToken) =>
        Task.FromResult<string?>(null);
}

/// <summary>What the writers' clients are made with.</summary>
/// <param name="Credentials">What they sign with; null: the SDK's default.</param>
/// <param name="ConfigureS3">Adjusts an S3 client's configuration (tests).</param>
internal sealed record SinkSetup(AWSCredentials? Credentials, Action<AmazonS3Config>? ConfigureS3);

using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing;

namespace LetsData.Runtime.Connectors.LocalFiles;

/// <summary>The <c>LocalFiles</c> write or error connector's settings: the folder of the per-task JSON Lines files (full path).</summary>
public sealed record LocalFilesOutput(string OutputPath) : WriteConnectorSettings
{
    public override string Location => OutputPath;
    public override string? LocalFolder => OutputPath;
    public override bool UsesAws => false;
    internal override IWriteConnector Connector => LocalFilesWriteConnector.Instance;

    public override string? CollisionWith(WriteConnectorSettings errors) =>
        errors is LocalFilesOutput other && string.Equals(Path.TrimEndingDirectorySeparator(OutputPath),
            Path.TrimEndingDirectorySeparator(other.OutputPath), OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase)
            ? "errorConnector.outputPath: must differ from writeConnector.outputPath (both write one .jsonl file per task, named alike)"
            : null;
}

/// <summary>The <c>LocalFiles</c> write and error connector: a <c>.jsonl</c> file per task under <c>outputPath</c>, named by <c>TaskOutputName</c>.</summary>
internal sealed class LocalFilesWriteConnector : IWriteConnector
{
    public static LocalFilesWriteConnector Instance { get; } = new();

    public string Destination => "LocalFiles";
    public bool WritesErrors => true;

    public WriteConnectorSettings? Validate(string field, WriteConnectorConfig connector, List<string> problems)
    {
        // Named as the dataset spells it, as before connectors were units.
        var destination = connector.ConnectorDestination ?? Destination;
        ConfigFields.Forbid(field, destination, problems, ("streamName", connector.StreamName), ("compressRecords", connector.CompressRecords),
            ("tableName", connector.TableName), ("keyAttributeName", connector.KeyAttributeName));
        ConfigFields.Forbid(field, destination, problems, ConfigFields.QueueFields(connector));
        ConfigFields.Forbid(field, destination, problems, ("bucketName", connector.BucketName), ("prefix", connector.Prefix),
            ("compress", connector.Compress));
        if (string.IsNullOrWhiteSpace(connector.OutputPath))
        {
            problems.Add($"{field}.outputPath: required for LocalFiles");
            return null;
        }

        return new LocalFilesOutput(Path.GetFullPath(connector.OutputPath));
    }

    public IDocumentSinkFactory CreateDocumentSinks(WriteConnectorSettings settings, SinkSetup setup) =>
        new LocalFilesDocumentSinkFactory(((LocalFilesOutput)settings).OutputPath);

    public IErrorSinkFactory CreateErrorSinks(WriteConnectorSettings settings, SinkSetup setup) =>
        new LocalFilesErrorSinkFactory(((LocalFilesOutput)settings).OutputPath);

    public string? SetupProblem(string field, Exception e) => null;
}

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
}

using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Tests.Observability;

/// <summary>A valid local-files dataset in a test folder, for the status page's tests (its plugin need not exist).</summary>
internal static class StatusPageDatasets
{
    public static Dataset Local(string folder, string name) => DatasetLoader.Validate(new DatasetConfig
    {
        DatasetName = name,
        ReadConnector = new ReadConnectorConfig { ConnectorDestination = "LocalFiles", RootPath = folder, ArtifactFile = "P/P.dll", ReaderType = "Single File Reader" },
        WriteConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = Path.Combine(folder, "docs") },
        ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = Path.Combine(folder, "errors") },
        ManifestFile = new ManifestFileConfig { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.log" },
    }, "test", Path.Combine(folder, "plugins"));
}

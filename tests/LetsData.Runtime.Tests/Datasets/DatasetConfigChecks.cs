using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary>What the dataset-configuration tests share: a valid local-files read and manifest, and the problems a config gets.</summary>
internal static class DatasetConfigChecks
{
    /// <summary>A valid local-files Single File Reader connector.</summary>
    public static readonly ReadConnectorConfig LocalRead = new()
    {
        ConnectorDestination = "LocalFiles", RootPath = ".", ArtifactFile = "P/P.dll", ReaderType = "Single File Reader",
    };

    /// <summary>A manifest of one file.</summary>
    public static readonly ManifestFileConfig OneFile = new() { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.txt" };

    /// <summary>The problems validating <paramref name="config"/> reports (the test fails when it validates).</summary>
    public static IReadOnlyList<string> Problems(DatasetConfig config) =>
        Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(config, "test", "plugins"))!.Problems;
}

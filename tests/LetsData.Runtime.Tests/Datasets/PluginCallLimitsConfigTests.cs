using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary><c>computeEngine</c>'s containment settings: call timeout, leaked-thread limit, per-task allocation limit.</summary>
public class PluginCallLimitsConfigTests
{
    private static DatasetConfig Config(ComputeEngineConfig engine) => new()
    {
        DatasetName = "Limits",
        ReadConnector = new ReadConnectorConfig { ConnectorDestination = "LocalFiles", RootPath = ".", ArtifactFile = "P/P.dll", ReaderType = "Single File Reader" },
        WriteConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" },
        ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" },
        ComputeEngine = engine,
        ManifestFile = new ManifestFileConfig { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.txt" },
    };

    [Test]
    public void DefaultsAreAThirtySecondCallTimeoutFourLeakedThreadsAndNoAllocationLimit()
    {
        var dataset = DatasetLoader.Validate(Config(new ComputeEngineConfig()), "test", "plugins");

        Assert.That(dataset.Limits, Is.EqualTo(new PluginCallLimits(TimeSpan.FromSeconds(30), 4, null)));
    }

    [Test]
    public void TheLimitsAreReadAndZeroTimeoutMeansNone()
    {
        var set = DatasetLoader.Validate(Config(new ComputeEngineConfig
        {
            PluginCallTimeoutSeconds = 2.5, MaxLeakedThreads = 1, MaxTaskAllocatedBytes = 1_000_000,
        }), "test", "plugins");
        var none = DatasetLoader.Validate(Config(new ComputeEngineConfig { PluginCallTimeoutSeconds = 0 }), "test", "plugins");

        Assert.That(set.Limits, Is.EqualTo(new PluginCallLimits(TimeSpan.FromSeconds(2.5), 1, 1_000_000)));
        Assert.That(none.Limits.CallTimeout, Is.Null);
    }

    [Test]
    public void OutOfRangeLimitsAreEachNamed()
    {
        var problems = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config(new ComputeEngineConfig
        {
            PluginCallTimeoutSeconds = -1, MaxLeakedThreads = 0, MaxTaskAllocatedBytes = 0,
        }), "test", "plugins"))!.Problems;

        Assert.That(problems, Has.One.StartsWith("computeEngine.pluginCallTimeoutSeconds: -1 is out of range"));
        Assert.That(problems, Has.One.StartsWith("computeEngine.maxLeakedThreads: 0 must be at least 1"));
        Assert.That(problems, Has.One.StartsWith("computeEngine.maxTaskAllocatedBytes: 0 must be at least 1"));
    }
}

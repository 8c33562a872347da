using Amazon;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Reading;
using LetsData.Runtime.Reading.S3;
using LetsData.Runtime.Connectors;
using LetsData.Runtime.Connectors.LocalFiles;
using LetsData.Runtime.Connectors.S3;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary>The <c>S3</c> read connector's fields (<c>bucketName</c>, <c>prefix</c>, <c>forcePathStyle</c>) and the source picked for it.</summary>
public class S3ReadConnectorConfigTests
{
    private static DatasetConfig Config(ReadConnectorConfig read) => new()
    {
        DatasetName = "S3Input",
        ReadConnector = read with
        {
            ArtifactFile = "P/P.dll",
            ReaderType = "Single File Reader",
        },
        WriteConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" },
        ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" },
        ManifestFile = new ManifestFileConfig { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.gz\nb.gz" },
    };

    private static DatasetConfigException Problems(ReadConnectorConfig read) =>
        Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config(read), "test", "plugins"))!;

    [Test]
    public void AnS3ReadConnectorNeedsABucketButNoRootPath()
    {
        var dataset = DatasetLoader.Validate(Config(new ReadConnectorConfig
        {
            ConnectorDestination = "S3", BucketName = "my-input.bucket", Prefix = "crawl/2024/", ForcePathStyle = true,
        }), "test", "plugins");

        Assert.That(dataset.Read, Is.EqualTo(new S3InputLocation("my-input.bucket", "crawl/2024/", true)));
        Assert.That(dataset.Read.LocalFolder, Is.Null);
        var problems = new List<string>();
        using var source = (S3FileSource)FileSources.TryCreate(dataset, problems, c => c.RegionEndpoint = RegionEndpoint.EUWest1)!;
        Assert.That(problems, Is.Empty);
        Assert.That(source.Describe("a.gz"), Is.EqualTo("s3://my-input.bucket/crawl/2024/a.gz"));
        Assert.That(source.KeyOf("a.gz"), Is.EqualTo("crawl/2024/a.gz"));
    }

    [Test]
    public void ThePrefixIsOptional()
    {
        var dataset = DatasetLoader.Validate(Config(new ReadConnectorConfig { ConnectorDestination = "s3", BucketName = "bucket1" }), "test", "plugins");

        Assert.That(dataset.Read, Is.EqualTo(new S3InputLocation("bucket1", "", null)));
    }

    [Test]
    public void AMissingBucketNameIsAProblem()
    {
        var error = Problems(new ReadConnectorConfig { ConnectorDestination = "S3", Prefix = "p/" });

        Assert.That(error.Problems.Single(), Does.StartWith("readConnector.bucketName: required for S3"));
    }

    [TestCase("Upper-Case")]
    [TestCase("ab")]
    [TestCase("under_score")]
    [TestCase("-dash-first")]
    public void AnInvalidBucketNameIsAProblem(string bucket)
    {
        var error = Problems(new ReadConnectorConfig { ConnectorDestination = "S3", BucketName = bucket });

        Assert.That(error.Problems.Single(), Does.StartWith("readConnector.bucketName:").And.Contain(bucket));
    }

    [Test]
    public void ARootPathOnAnS3ConnectorIsAProblem()
    {
        var error = Problems(new ReadConnectorConfig { ConnectorDestination = "S3", BucketName = "bucket1", RootPath = "datasets" });

        Assert.That(error.Problems.Single(), Does.StartWith("readConnector.rootPath: only for LocalFiles"));
    }

    [Test]
    public void LocalFilesStillNeedsItsRootPathAndGetsALocalSource()
    {
        var error = Problems(new ReadConnectorConfig { ConnectorDestination = "LocalFiles", BucketName = "ignored" });
        Assert.That(error.Problems.Single(), Does.StartWith("readConnector.rootPath: required for LocalFiles"));

        var dataset = DatasetLoader.Validate(Config(new ReadConnectorConfig { ConnectorDestination = "LocalFiles", RootPath = "." }), "test", "plugins");
        Assert.That(dataset.Read, Is.TypeOf<LocalFilesInput>());
        Assert.That(FileSources.TryCreate(dataset, []), Is.TypeOf<LocalFileSource>());
    }

    [Test]
    public void AnUnsupportedReadDestinationNamesEverySupportedOne()
    {
        var error = Problems(new ReadConnectorConfig { ConnectorDestination = "Kafka", RootPath = "." });

        Assert.That(error.Problems.Single(), Does.StartWith("readConnector.connectorDestination: 'Kafka'")
            .And.Contain("\"S3\"").And.Contain("\"LocalFiles\"").And.Contain("\"Kinesis\"").And.Contain("\"DynamoDB\""));
    }
}

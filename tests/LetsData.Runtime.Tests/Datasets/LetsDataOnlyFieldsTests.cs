using LetsData.Runtime.Connectors.Kinesis;
using LetsData.Runtime.Datasets;
using static LetsData.Runtime.Tests.Datasets.DatasetConfigChecks;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary>How LetsData's own fields are read here: aliases, time box, and the unknown fields that stay errors.</summary>
public class LetsDataOnlyFieldsTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("letsdata-fields-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    private static DatasetConfig Config(ReadConnectorConfig? read = null, WriteConnectorConfig? write = null, ComputeEngineConfig? engine = null) => new()
    {
        DatasetName = "Fields",
        ReadConnector = read ?? new ReadConnectorConfig
        {
            ConnectorDestination = "S3", BucketName = "input", ArtifactFile = "P/P.dll", ReaderType = "Single File Reader",
        },
        WriteConnector = write ?? new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" },
        ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" },
        ComputeEngine = engine,
        ManifestFile = new ManifestFileConfig { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.txt" },
    };

    [Test]
    public void AFileWithoutLetsDataOnlyFieldsHasNoNotices()
    {
        Assert.That(DatasetLoader.Validate(Config(), "test", "plugins").Notices, Is.Empty);
    }

    [Test]
    public void ArtifactFileS3LinkIsReadAsArtifactFile_GivingBothIsAProblem()
    {
        var read = Config().ReadConnector! with { ArtifactFile = null, ArtifactFileS3Link = "s3://bucket/reader.zip" };
        Assert.That(DatasetLoader.Validate(Config(read), "test", "plugins").ArtifactFile, Is.EqualTo("s3://bucket/reader.zip"));

        Assert.That(Problems(Config(read with { ArtifactFile = "P/P.dll" })),
            Has.One.StartsWith("readConnector.artifactFileS3Link: give it or artifactFile, not both"));
    }

    [TestCase("arn:aws:kinesis:us-east-1:123456789012:stream/orders", "orders")]
    [TestCase("arn:aws:kinesis:eu-west-1:1:stream/a.b-c_d", "a.b-c_d")]
    [TestCase("arn:aws:dynamodb:us-east-1:123456789012:table/orders", null)]
    [TestCase("arn:aws:kinesis:us-east-1:123456789012:stream/", null)]
    [TestCase("orders", null)]
    public void AKinesisStreamArnGivesTheStreamName(string arn, string? name)
    {
        Assert.That(KinesisReadConnector.StreamNameOf(arn), Is.EqualTo(name));
    }

    [Test]
    public void AKinesisStreamArnThatDisagreesWithStreamNameIsAProblem()
    {
        var read = new ReadConnectorConfig
        {
            ConnectorDestination = "Kinesis", ArtifactFile = "P/P.dll", ReaderType = "KINESISSTREAMREADER",
            StreamName = "other", StreamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/orders",
        };

        Assert.That(Problems(Config(read) with { ManifestFile = null }),
            Has.One.StartsWith("readConnector.streamArn: names stream 'orders', but streamName is 'other'"));
    }

    [Test]
    public void AKinesisWriteConnectorWithoutStreamNameStillNeedsOneOutsideLetsDataFiles()
    {
        // Only a LetsData file (resourceLocation set) takes the dataset's name for the stream.
        var write = new WriteConnectorConfig { ConnectorDestination = "Kinesis" };

        Assert.That(Problems(Config(write: write)), Has.One.StartsWith("writeConnector.streamName: required"));
        Assert.That(DatasetLoader.Validate(Config(write: write with { ResourceLocation = "letsdata" }), "test", "plugins").Write,
            Is.EqualTo(new KinesisOutput("Fields", false)));
    }

    [TestCase(0)]
    [TestCase(501)]
    public void KinesisShardCountOutOfRangeIsAProblem(int shards)
    {
        var write = new WriteConnectorConfig { ConnectorDestination = "Kinesis", StreamName = "docs", KinesisShardCount = shards };

        Assert.That(Problems(Config(write: write)), Has.One.StartsWith($"writeConnector.kinesisShardCount: {shards} is out of range 1..500"));
    }

    [Test]
    public void TheLambdaTimeoutIsTheTaskTimeBox()
    {
        Assert.That(DatasetLoader.Validate(Config(engine: new() { ComputeEngineType = "Lambda", TimeoutInSeconds = 60 }), "test", "plugins").TaskTimeBox,
            Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(DatasetLoader.Validate(Config(), "test", "plugins").TaskTimeBox, Is.Null);
        Assert.That(Problems(Config(engine: new() { TimeoutInSeconds = 0 })), Has.One.StartsWith("computeEngine.timeoutInSeconds: 0 must be at least 1"));
    }

    [Test]
    public void AFieldLetsDataDoesNotHaveStaysAnUnknownFieldError()
    {
        var file = Path.Combine(_root, "dataset.json");
        File.WriteAllText(file, """
            { "datasetName": "Fields", "region": "us-east-1",
              "readConnector": { "connectorDestination": "S3", "bucketName": "b", "bucketResourceLocation": "Customer",
                                 "bucketRegion": "us-east-1", "artifactFile": "P/P.dll", "readerType": "Single File Reader" },
              "writeConnector": { "connectorDestination": "Kinesis", "streamName": "s", "kinesisShards": 2 },
              "errorConnector": { "connectorDestination": "LocalFiles", "outputPath": "out/errors" },
              "manifestFile": { "manifestType": "S3ReaderTextManifestFile", "fileContents": "a.txt" } }
            """);

        var problems = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Load(file, _root))!.Problems;

        Assert.That(problems, Is.EquivalentTo(new[]
        {
            "readConnector.bucketRegion: unknown field",
            "writeConnector.kinesisShards: unknown field",
        }).Using<string>((a, b) => a.StartsWith(b, StringComparison.Ordinal)));
    }
}

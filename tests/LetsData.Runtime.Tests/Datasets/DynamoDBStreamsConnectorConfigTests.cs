using LetsData.Runtime.Connectors.DynamoDBStreams;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Reading.DynamoDBStreams;
using static LetsData.Runtime.Tests.Datasets.DatasetConfigChecks;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary>The DynamoDBStreams read connector's fields and manifest, each problem named by its field path.</summary>
public class DynamoDBStreamsConnectorConfigTests
{
    private const string Arn = "arn:aws:dynamodb:us-east-1:123456789012:table/documents/stream/2026-01-01T00:00:00.000";

    private static DatasetConfig Config(ReadConnectorConfig read, ManifestFileConfig? manifest = null) => new()
    {
        DatasetName = "Streams",
        ReadConnector = read,
        WriteConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" },
        ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" },
        ComputeEngine = new ComputeEngineConfig { Concurrency = 2 },
        ManifestFile = manifest,
    };

    private static ReadConnectorConfig StreamRead(string? table = "documents", string? arn = null) => new()
    {
        ConnectorDestination = "DynamoDBStreams", TableName = table, StreamArn = arn, ArtifactFile = "P/P.dll",
        ReaderType = "DynamoDB Streams Record Reader",
    };

    [Test]
    public void ATableStreamNeedsNoManifest_AndReadsFromTheEarliestRecordUntilCaughtUp()
    {
        var dataset = DatasetLoader.Validate(Config(StreamRead()), "test", "plugins");

        Assert.That(dataset.ReaderType, Is.EqualTo(ReaderType.DynamoDBStreamsRecordReader));
        Assert.That(dataset.Read, Is.EqualTo(new DynamoDBStreamsInput("documents", null, DynamoDBStreamStartFrom.Earliest, false)));
        Assert.That(dataset.Read.UsesAws, Is.True);
    }

    [TestCase("DynamoDB Streams Record Reader")]
    [TestCase("DYNAMODBSTREAMSREADER")]
    [TestCase("DynamoDBStreamsRecordReader")]
    public void LetsDatasSpellingsNameTheReaderType_AndTheDestinationIsCaseBlind(string readerType)
    {
        var dataset = DatasetLoader.Validate(Config(StreamRead(table: null, arn: Arn) with
        {
            ConnectorDestination = "DYNAMODBSTREAMS", ReaderType = readerType,
        }), "test", "plugins");

        Assert.That(dataset.ReaderType, Is.EqualTo(ReaderType.DynamoDBStreamsRecordReader));
        Assert.That(((DynamoDBStreamsInput)dataset.Read).StreamArn, Is.EqualTo(Arn));
    }

    [Test]
    public void TheManifestSetsTheStartAndStopConditions()
    {
        var dataset = DatasetLoader.Validate(Config(StreamRead(), new ManifestFileConfig
        {
            ManifestType = "DynamoDBStreamReaderManifest",
            DynamoDBReaderTaskStartFromCondition = "Latest",
            DynamoDBReaderTaskStopCondition = "Continuous",
        }), "test", "plugins");

        Assert.That(dataset.Read, Is.EqualTo(new DynamoDBStreamsInput("documents", null, DynamoDBStreamStartFrom.Latest, true)));
    }

    [Test]
    public void BadSettingsAreEachNamedByField()
    {
        var problems = Problems(Config(StreamRead(table: "x") with { RootPath = ".", StreamName = "s", TotalSegments = 3, QueueName = "q" }, new ManifestFileConfig
        {
            ManifestType = "KinesisStreamReaderManifest",
            DynamoDBReaderTaskStartFromCondition = "AtSequenceNumber",
            DynamoDBReaderTaskStopCondition = "Never",
            KinesisReaderTaskStopCondition = "Continuous",
        }));

        Assert.That(problems, Has.One.StartsWith("readConnector.tableName: 'x' is not a valid DynamoDB table name"));
        Assert.That(problems, Has.One.StartsWith("readConnector.rootPath: not used by a DynamoDBStreams connector"));
        Assert.That(problems, Has.One.StartsWith("readConnector.streamName: not used by a DynamoDBStreams connector"));
        Assert.That(problems, Has.One.StartsWith("readConnector.totalSegments: not used by a DynamoDBStreams connector"));
        Assert.That(problems, Has.One.StartsWith("readConnector.queueName: not used by a DynamoDBStreams connector"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.manifestType: 'KinesisStreamReaderManifest' does not fit a DynamoDB Streams read connector"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.dynamoDBReaderTaskStartFromCondition: unknown value 'AtSequenceNumber'"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.dynamoDBReaderTaskStopCondition: unknown value 'Never'"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.kinesisReaderTaskStopCondition: not used by a DynamoDBStreams connector"));
    }

    [Test]
    public void TheStreamIsNamedOnce_ByTableOrByArn()
    {
        Assert.That(Problems(Config(StreamRead(table: null))), Has.One.StartsWith("readConnector.tableName: required"));
        Assert.That(Problems(Config(StreamRead(arn: Arn))), Has.One.StartsWith("readConnector.streamArn: give either tableName or streamArn"));
        Assert.That(Problems(Config(StreamRead(table: null, arn: "arn:aws:kinesis:us-east-1:1:stream/x"))),
            Has.One.StartsWith("readConnector.streamArn: 'arn:aws:kinesis:us-east-1:1:stream/x' is not a DynamoDB stream ARN"));
    }

    [Test]
    public void TheReaderTypeMustFitTheStream_AndTheTableReaderRefusesAStreamArn()
    {
        var tableReader = Problems(Config(StreamRead() with { ReaderType = "DynamoDB Table Item Reader" }));
        var scanWithArn = Problems(Config(StreamRead(arn: Arn) with { ConnectorDestination = "DynamoDB", ReaderType = "DynamoDB Table Item Reader" }));

        Assert.That(tableReader, Has.One.StartsWith("readConnector.readerType: a DynamoDBStreams read connector needs \"DynamoDB Streams Record Reader\""));
        Assert.That(scanWithArn, Has.One.StartsWith("readConnector.streamArn: not used by a DynamoDB connector"));
    }
}

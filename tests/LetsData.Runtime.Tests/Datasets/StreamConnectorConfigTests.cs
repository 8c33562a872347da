using LetsData.Runtime.Datasets;
using LetsData.Runtime.Connectors.DynamoDB;
using LetsData.Runtime.Connectors.Kinesis;
using static LetsData.Runtime.Tests.Datasets.DatasetConfigChecks;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary>Kinesis and DynamoDB read and write connector fields, and how they fit the reader type.</summary>
public class StreamConnectorConfigTests
{
    private static readonly WriteConnectorConfig LocalDocs = new() { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" };
    private static readonly WriteConnectorConfig LocalErrors = new() { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" };

    private static DatasetConfig Config(ReadConnectorConfig read, WriteConnectorConfig? write = null,
        WriteConnectorConfig? errors = null, ManifestFileConfig? manifest = null) => new()
    {
        DatasetName = "Streams",
        ReadConnector = read,
        WriteConnector = write ?? LocalDocs,
        ErrorConnector = errors ?? LocalErrors,
        ComputeEngine = new ComputeEngineConfig { Concurrency = 3 },
        ManifestFile = manifest,
    };

    private static ReadConnectorConfig KinesisRead(string? stream = "docs-stream") => new()
    {
        ConnectorDestination = "Kinesis", StreamName = stream, ArtifactFile = "P/P.dll", ReaderType = "KINESISSTREAMREADER",
    };

    private static ReadConnectorConfig TableRead(string? table = "documents") => new()
    {
        ConnectorDestination = "DynamoDB", TableName = table, ArtifactFile = "P/P.dll", ReaderType = "DynamoDB Table Item Reader",
    };

    [Test]
    public void AKinesisReadConnectorNeedsNoManifestAndStartsAtTheEarliestRecordUntilCaughtUp()
    {
        var dataset = DatasetLoader.Validate(Config(KinesisRead()), "test", "plugins");

        Assert.That(dataset.ReaderType, Is.EqualTo(ReaderType.KinesisRecordReader));
        Assert.That(dataset.Read, Is.TypeOf<KinesisInput>());
        var input = (KinesisInput)dataset.Read;
        Assert.That(input.StreamName, Is.EqualTo("docs-stream"));
        Assert.That(input.StartFrom, Is.EqualTo(KinesisStartFrom.Earliest));
        Assert.That(input.Continuous, Is.False);
    }

    [Test]
    public void AKinesisManifestSetsTheStartAndStopConditions()
    {
        var dataset = DatasetLoader.Validate(Config(KinesisRead(), manifest: new ManifestFileConfig
        {
            ManifestType = "KinesisStreamReaderManifest",
            KinesisReaderTaskStartFromCondition = "AtSequenceNumber",
            KinesisReaderTaskStartSequenceNumbers = new() { ["shardId-000000000001"] = "4960" },
            KinesisReaderTaskStopCondition = "Continuous",
        }), "test", "plugins");

        var input = (KinesisInput)dataset.Read;
        Assert.That(input.StartFrom, Is.EqualTo(KinesisStartFrom.AtSequenceNumber));
        Assert.That(input.StartSequenceNumbers["shardId-000000000001"], Is.EqualTo("4960"));
        Assert.That(input.Continuous, Is.True);
    }

    [Test]
    public void BadKinesisSettingsAreEachNamedByField()
    {
        var problems = Problems(Config(KinesisRead(stream: "no spaces allowed") with { RootPath = "." }, manifest: new ManifestFileConfig
        {
            ManifestType = "S3ReaderTextManifestFile",
            KinesisReaderTaskStartFromCondition = "Yesterday",
            KinesisReaderTaskStopCondition = "Never",
            KinesisReaderTaskStartSequenceNumbers = new() { ["s"] = "1" },
        }));

        Assert.That(problems, Has.One.StartsWith("readConnector.streamName: 'no spaces allowed' is not a valid Kinesis stream name"));
        Assert.That(problems, Has.One.StartsWith("readConnector.rootPath: not used by a Kinesis connector"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.manifestType: 'S3ReaderTextManifestFile' does not fit a Kinesis read connector"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.kinesisReaderTaskStartFromCondition: unknown value 'Yesterday'"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.kinesisReaderTaskStopCondition: unknown value 'Never'"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.kinesisReaderTaskStartSequenceNumbers: only for"));
    }

    [Test]
    public void AtSequenceNumberNeedsTheSequenceNumbers()
    {
        var problems = Problems(Config(KinesisRead(), manifest: new ManifestFileConfig { KinesisReaderTaskStartFromCondition = "AtSequenceNumber" }));

        Assert.That(problems, Is.EqualTo(new[] { "manifestFile.kinesisReaderTaskStartSequenceNumbers: required for AtSequenceNumber (shard id -> sequence number)" }));
    }

    [Test]
    public void ATableReadConnectorScansInConcurrencySegmentsUnlessTold()
    {
        var byConcurrency = DatasetLoader.Validate(Config(TableRead()), "test", "plugins");
        var told = DatasetLoader.Validate(Config(TableRead() with { TotalSegments = 8 }), "test", "plugins");

        Assert.That(byConcurrency.Read, Is.EqualTo(new DynamoDBInput("documents", 3)));
        Assert.That(told.Read, Is.EqualTo(new DynamoDBInput("documents", 8)));
    }

    [Test]
    public void BadTableSettingsAreEachNamedByField()
    {
        var problems = Problems(Config(TableRead(table: "x") with { TotalSegments = 0, StreamName = "s" }, manifest: OneFile));

        Assert.That(problems, Has.One.StartsWith("readConnector.tableName: 'x' is not a valid DynamoDB table name"));
        Assert.That(problems, Has.One.StartsWith("readConnector.totalSegments: 0 is out of range"));
        Assert.That(problems, Has.One.StartsWith("readConnector.streamName: not used by a DynamoDB connector"));
        Assert.That(problems, Has.One.StartsWith("manifestFile: not used by a DynamoDB read connector"));
    }

    [Test]
    public void TheReaderTypeMustFitTheReadDestination()
    {
        var fileReaderOnAStream = Problems(Config(KinesisRead() with { ReaderType = "Single File Reader" }));
        var streamReaderOnFiles = Problems(Config(LocalRead with { ReaderType = "Kinesis Record Reader" }, manifest: OneFile));

        Assert.That(fileReaderOnAStream, Has.One.StartsWith("readConnector.readerType: a Kinesis read connector needs \"Kinesis Record Reader\""));
        Assert.That(streamReaderOnFiles, Has.One.StartsWith("readConnector.readerType: \"Kinesis Record Reader\" reads a Kinesis stream"));
    }

    [Test]
    public void KinesisAndDynamoDBWriteConnectorsNameTheirStreamAndTable()
    {
        var toKinesis = DatasetLoader.Validate(Config(LocalRead, new WriteConnectorConfig
        {
            ConnectorDestination = "Kinesis", StreamName = "out-stream", CompressRecords = true,
        }, manifest: OneFile), "test", "plugins");
        var toTable = DatasetLoader.Validate(Config(LocalRead, new WriteConnectorConfig
        {
            ConnectorDestination = "dynamodb", TableName = "out-table", KeyAttributeName = "id",
        }, manifest: OneFile), "test", "plugins");

        Assert.That(toKinesis.Write, Is.EqualTo(new KinesisOutput("out-stream", true)));
        Assert.That(toKinesis.OutputPath, Is.EqualTo("kinesis://out-stream"));
        Assert.That(toTable.Write, Is.EqualTo(new DynamoDBOutput("out-table", "id")));
        Assert.That(toTable.OutputPath, Is.EqualTo("dynamodb://out-table"));
    }

    [Test]
    public void StreamsAndTablesAreNotErrorDestinationsAndForeignFieldsAreProblems()
    {
        var problems = Problems(Config(LocalRead,
            new WriteConnectorConfig { ConnectorDestination = "Kinesis", BucketName = "b", TableName = "t" },
            new WriteConnectorConfig { ConnectorDestination = "DynamoDB", TableName = "errors" }, OneFile));

        Assert.That(problems, Has.One.StartsWith("writeConnector.streamName: required (the Kinesis stream name)"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.bucketName: not used by a Kinesis connector"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.tableName: not used by a Kinesis connector"));
        Assert.That(problems, Has.One.StartsWith("errorConnector.connectorDestination: 'DynamoDB' is not supported; use \"LocalFiles\" or \"S3\""));
    }
}

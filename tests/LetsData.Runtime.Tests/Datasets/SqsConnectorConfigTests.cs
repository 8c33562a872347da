using LetsData.Runtime.Connectors.Sqs;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Hosting;
using static LetsData.Runtime.Tests.Datasets.DatasetConfigChecks;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary>The SQS read and write connector fields, the SQS manifest options, and how they fit the reader type.</summary>
public class SqsConnectorConfigTests
{
    private static readonly WriteConnectorConfig LocalDocs = new() { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" };
    private static readonly WriteConnectorConfig LocalErrors = new() { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" };

    private static DatasetConfig Config(ReadConnectorConfig read, WriteConnectorConfig? write = null, ManifestFileConfig? manifest = null,
        int concurrency = 3) => new()
    {
        DatasetName = "Queues",
        ReadConnector = read,
        WriteConnector = write ?? LocalDocs,
        ErrorConnector = LocalErrors,
        ComputeEngine = new ComputeEngineConfig { Concurrency = concurrency },
        ManifestFile = manifest,
    };

    private static ReadConnectorConfig QueueRead(string? queueName = "docs-queue", string readerType = "SQS Queue Reader") => new()
    {
        ConnectorDestination = "SQS", QueueName = queueName, ArtifactFile = "P/P.dll", ReaderType = readerType,
    };

    [Test]
    public void AQueueReadConnectorDrainsWithConcurrencyTasksAndTenEmptyReceivesByDefault()
    {
        var dataset = DatasetLoader.Validate(Config(QueueRead()), "test", "plugins");

        Assert.That(dataset.ReaderType, Is.EqualTo(ReaderType.SqsQueueReader));
        Assert.That(dataset.Read, Is.EqualTo(new SqsInput("docs-queue", null, 3, Continuous: false, StopAfterConsecutiveEmptyReceives: 10)));
        Assert.That(DatasetKeys.UsesAws(dataset), Is.True);
    }

    [TestCase("SQSREADER")]
    [TestCase("QUEUEMESSAGEREADER")]
    [TestCase("SQS_QUEUE_READER")]
    public void LetsDataSpellingsOfTheReaderTypeAreAccepted(string spelling)
    {
        var dataset = DatasetLoader.Validate(Config(QueueRead(readerType: spelling)), "test", "plugins");

        Assert.That(dataset.ReaderType, Is.EqualTo(ReaderType.SqsQueueReader));
    }

    [Test]
    public void TheManifestSetsTheStopCondition()
    {
        var drain = DatasetLoader.Validate(Config(QueueRead() with { QueueName = null, QueueUrl = "https://sqs.eu-west-1.amazonaws.com/123456789012/docs.fifo" },
            manifest: new ManifestFileConfig { SqsReaderTaskStopCondition = "DrainQueues", SqsReaderTaskStopAfterConsecutiveEmptyReceives = 3 }), "test", "plugins");
        var continuous = DatasetLoader.Validate(Config(QueueRead(), manifest: new ManifestFileConfig { SqsReaderTaskStopCondition = "continuous" }),
            "test", "plugins");

        Assert.That(drain.Read, Is.EqualTo(new SqsInput(null, "https://sqs.eu-west-1.amazonaws.com/123456789012/docs.fifo", 3, false, 3)));
        Assert.That(((SqsInput)continuous.Read).Continuous, Is.True);
    }

    [Test]
    public void BadQueueReadSettingsAreEachNamedByField()
    {
        var problems = Problems(Config(QueueRead(queueName: "no spaces") with { RootPath = ".", StreamName = "s" }, manifest: new ManifestFileConfig
        {
            ManifestType = "S3ReaderTextManifestFile",
            FileContents = "a.txt",
            SqsReaderTaskStopCondition = "Never",
            SqsReaderTaskStopAfterConsecutiveEmptyReceives = 0,
        }));

        Assert.That(problems, Has.One.StartsWith("readConnector.queueName: 'no spaces' is not a valid SQS queue name"));
        Assert.That(problems, Has.One.StartsWith("readConnector.rootPath: not used by a SQS connector"));
        Assert.That(problems, Has.One.StartsWith("readConnector.streamName: not used by a SQS connector"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.manifestType: 'S3ReaderTextManifestFile' does not fit an SQS read connector"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.fileContents: not used by a SQS connector"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.sqsReaderTaskStopCondition: unknown value 'Never'"));
        Assert.That(problems, Has.One.StartsWith("manifestFile.sqsReaderTaskStopAfterConsecutiveEmptyReceives: 0 must be at least 1"));
    }

    [Test]
    public void TheQueueIsNamedByNameOrUrlNotBothNorNeither()
    {
        Assert.That(Problems(Config(QueueRead(queueName: null))), Has.One.StartsWith("readConnector.queueName: required"));
        Assert.That(Problems(Config(QueueRead() with { QueueUrl = "https://sqs.us-east-1.amazonaws.com/1/docs-queue" })),
            Has.One.EqualTo("readConnector.queueUrl: give queueName or queueUrl, not both"));
        Assert.That(Problems(Config(QueueRead(queueName: null) with { QueueUrl = "sqs://docs" })),
            Has.One.StartsWith("readConnector.queueUrl: 'sqs://docs' is not an SQS queue URL"));
        Assert.That(Problems(Config(QueueRead(queueName: new string('q', 81)))), Has.One.StartsWith("readConnector.queueName:"));
    }

    [Test]
    public void EmptyReceivesCountOnlyWhenDraining()
    {
        var problems = Problems(Config(QueueRead(), manifest: new ManifestFileConfig
        {
            SqsReaderTaskStopCondition = "Continuous", SqsReaderTaskStopAfterConsecutiveEmptyReceives = 5,
        }));

        Assert.That(problems, Is.EqualTo(new[] { "manifestFile.sqsReaderTaskStopAfterConsecutiveEmptyReceives: only for sqsReaderTaskStopCondition \"DrainQueues\"" }));
    }

    [Test]
    public void TheReaderTypeMustFitTheQueue()
    {
        Assert.That(Problems(Config(QueueRead(readerType: "Single File Reader"))),
            Has.One.EqualTo("readConnector.readerType: a SQS read connector needs \"SQS Queue Reader\", not \"Single File Reader\""));
        Assert.That(Problems(Config(LocalRead with { ReaderType = "SQS Queue Reader" }, manifest: OneFile)),
            Has.One.EqualTo("readConnector.readerType: \"SQS Queue Reader\" reads an SQS queue; set connectorDestination to match"));
    }

    [Test]
    public void AQueueWriteConnectorTakesANameOrUrlAndAnIdAttribute()
    {
        var dataset = DatasetLoader.Validate(Config(LocalRead, manifest: OneFile, write: new WriteConnectorConfig
        {
            ConnectorDestination = "SQS", QueueName = "out.fifo", MessageIdAttributeName = "docId",
        }), "test", "plugins");

        Assert.That(dataset.Write, Is.EqualTo(new SqsOutput("out.fifo", null, "docId")));
        Assert.That(dataset.Write.Location, Is.EqualTo("sqs://out.fifo"));
        Assert.That(DatasetKeys.UsesAws(dataset), Is.True);
    }

    [Test]
    public void BadQueueWriteSettingsAreEachNamedByField()
    {
        var problems = Problems(Config(LocalRead, manifest: OneFile, write: new WriteConnectorConfig
        {
            ConnectorDestination = "SQS", QueueName = "bad name", MessageIdAttributeName = "AWS.id", OutputPath = "out", StreamName = "s",
        }));

        Assert.That(problems, Has.One.StartsWith("writeConnector.queueName: 'bad name' is not a valid SQS queue name"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.messageIdAttributeName: 'AWS.id' is not a valid SQS message attribute name"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.outputPath: not used by a SQS connector"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.streamName: not used by a SQS connector"));
    }

    [Test]
    public void AQueueTakesNoErrorRecords()
    {
        var problems = Problems(Config(LocalRead, manifest: OneFile) with
        {
            ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "SQS", QueueName = "errors" },
        });

        Assert.That(problems, Has.One.StartsWith("errorConnector.connectorDestination: 'SQS' is not supported"));
    }

    [Test]
    public void OtherConnectorsRefuseTheQueueFields()
    {
        var problems = Problems(Config(LocalRead with { QueueName = "q" }, manifest: OneFile, write: new WriteConnectorConfig
        {
            ConnectorDestination = "Kinesis", StreamName = "s", QueueUrl = "https://sqs.us-east-1.amazonaws.com/1/q", MessageIdAttributeName = "docId",
        }));

        Assert.That(problems, Has.One.StartsWith("readConnector.queueName: not used by a LocalFiles connector"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.queueUrl: not used by a Kinesis connector"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.messageIdAttributeName: not used by a Kinesis connector"));
    }
}

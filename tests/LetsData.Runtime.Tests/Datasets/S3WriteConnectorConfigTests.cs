using Amazon;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.S3;
using LetsData.Runtime.Connectors;
using LetsData.Runtime.Connectors.LocalFiles;
using LetsData.Runtime.Connectors.S3;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary>The <c>S3</c> write and error connectors' fields (<c>bucketName</c>, <c>prefix</c>, <c>compress</c>) and the sinks picked for them.</summary>
public class S3WriteConnectorConfigTests
{
    private static readonly WriteConnectorConfig LocalDocs = new() { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" };
    private static readonly WriteConnectorConfig LocalErrors = new() { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" };

    private static DatasetConfig Config(WriteConnectorConfig? write, WriteConnectorConfig? errors) => new()
    {
        DatasetName = "S3Output",
        ReadConnector = new ReadConnectorConfig
        {
            ConnectorDestination = "S3", BucketName = "input-bucket", ArtifactFile = "P/P.dll", ReaderType = "Single File Reader",
        },
        WriteConnector = write,
        ErrorConnector = errors,
        ManifestFile = new ManifestFileConfig { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.gz\nb.gz" },
    };

    private static Dataset Valid(WriteConnectorConfig? write, WriteConnectorConfig? errors) =>
        DatasetLoader.Validate(Config(write, errors), "test", "plugins");

    private static IReadOnlyList<string> Problems(WriteConnectorConfig? write, WriteConnectorConfig? errors) =>
        Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config(write, errors), "test", "plugins"))!.Problems;

    [Test]
    public void S3WriteAndErrorConnectorsNeedABucketAndTakeAPrefixAndGzip()
    {
        var dataset = Valid(
            new WriteConnectorConfig { ConnectorDestination = "S3", BucketName = "out-bucket", Prefix = "docs/", Compress = "gzip", ForcePathStyle = true },
            new WriteConnectorConfig { ConnectorDestination = "s3", BucketName = "out-bucket", Prefix = "errors/" });

        Assert.That(dataset.Write, Is.EqualTo(new S3Output(new S3OutputLocation("out-bucket", "docs/", true, true))));
        Assert.That(dataset.Errors, Is.EqualTo(new S3Output(new S3OutputLocation("out-bucket", "errors/", false, null))));
        Assert.That(dataset.OutputPath, Is.EqualTo("s3://out-bucket/docs/"));
        Assert.That(dataset.ErrorOutputPath, Is.EqualTo("s3://out-bucket/errors/"));
    }

    [Test]
    public void LocalFilesConnectorsHaveNoS3Location()
    {
        var dataset = Valid(LocalDocs, LocalErrors);

        Assert.That(dataset.Write, Is.TypeOf<LocalFilesOutput>());
        Assert.That(dataset.Errors, Is.TypeOf<LocalFilesOutput>());
        Assert.That(dataset.OutputPath, Is.EqualTo(Path.GetFullPath("out/docs")));
    }

    [Test]
    public void OneConnectorCanBeS3AndTheOtherLocal()
    {
        var dataset = Valid(LocalDocs, new WriteConnectorConfig { ConnectorDestination = "S3", BucketName = "err-bucket" });

        Assert.That(dataset.Write, Is.TypeOf<LocalFilesOutput>());
        Assert.That(dataset.Errors, Is.EqualTo(new S3Output(new S3OutputLocation("err-bucket", "", false, null))));
    }

    [Test]
    public void AnS3ConnectorWithoutABucketIsAProblemNamingTheField()
    {
        Assert.That(Problems(new WriteConnectorConfig { ConnectorDestination = "S3", Prefix = "docs/" }, LocalErrors),
            Has.One.StartsWith("writeConnector.bucketName: required for S3"));
        Assert.That(Problems(LocalDocs, new WriteConnectorConfig { ConnectorDestination = "S3" }),
            Has.One.StartsWith("errorConnector.bucketName: required for S3"));
    }

    [Test]
    public void InvalidS3FieldsAreProblemsNamingEachField()
    {
        var problems = Problems(
            new WriteConnectorConfig { ConnectorDestination = "S3", BucketName = "Bad_Bucket", Compress = "zstd", OutputPath = "out/docs" },
            new WriteConnectorConfig { ConnectorDestination = "S3", BucketName = "ok-bucket", Prefix = "/errors/" });

        Assert.That(problems, Has.One.StartsWith("writeConnector.bucketName: 'Bad_Bucket' is not a valid S3 bucket name"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.compress: 'zstd' is not supported"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.outputPath: only for LocalFiles"));
        Assert.That(problems, Has.One.StartsWith("errorConnector.prefix: '/errors/' must not start with '/'"));
    }

    [Test]
    public void S3FieldsOnALocalFilesConnectorAreProblems()
    {
        var problems = Problems(LocalDocs with { BucketName = "b-bucket", Compress = "gzip" }, LocalErrors with { Prefix = "x/" });

        Assert.That(problems, Has.One.StartsWith("writeConnector.bucketName: not used by a LocalFiles connector"));
        Assert.That(problems, Has.One.StartsWith("writeConnector.compress: not used by a LocalFiles connector"));
        Assert.That(problems, Has.One.StartsWith("errorConnector.prefix: not used by a LocalFiles connector"));
    }

    [Test]
    public void UnknownOrMissingDestinationsAreProblems()
    {
        var problems = Problems(new WriteConnectorConfig { ConnectorDestination = "Kafka" }, new WriteConnectorConfig { BucketName = "b-bucket" });

        Assert.That(problems, Has.One.StartsWith("writeConnector.connectorDestination: 'Kafka' is not supported; use"));
        Assert.That(problems, Has.One.StartsWith("errorConnector.connectorDestination: required"));
    }

    [Test]
    public void DocumentsAndErrorsCannotShareAnS3Prefix()
    {
        var s3 = new WriteConnectorConfig { ConnectorDestination = "S3", BucketName = "out-bucket", Prefix = "all/" };

        Assert.That(Problems(s3, s3), Has.One.StartsWith("errorConnector.prefix: must differ from writeConnector.prefix"));
        Assert.That(((S3Output)Valid(s3, s3 with { BucketName = "other-bucket" }).Errors).Where.BucketName, Is.EqualTo("other-bucket"));
    }

    [Test]
    public void TheSinksMatchTheConnectors()
    {
        var problems = new List<string>();
        var s3 = Valid(new WriteConnectorConfig { ConnectorDestination = "S3", BucketName = "out-bucket", Prefix = "docs/" }, LocalErrors);
        using (var sinks = OutputSinks.TryCreate(s3, problems, c => c.RegionEndpoint = RegionEndpoint.EUWest1)!)
        {
            Assert.That(problems, Is.Empty);
            Assert.That(sinks.Documents, Is.TypeOf<S3DocumentSinkFactory>());
            Assert.That(((S3DocumentSinkFactory)sinks.Documents).Location, Is.EqualTo(((S3Output)s3.Write).Where));
            Assert.That(sinks.Errors, Is.TypeOf<LocalFilesErrorSinkFactory>());
        }

        var local = Valid(LocalDocs, new WriteConnectorConfig { ConnectorDestination = "S3", BucketName = "err-bucket" });
        using (var sinks = OutputSinks.TryCreate(local, problems, c => c.RegionEndpoint = RegionEndpoint.EUWest1)!)
        {
            Assert.That(problems, Is.Empty);
            Assert.That(sinks.Documents, Is.TypeOf<LocalFilesDocumentSinkFactory>());
            Assert.That(sinks.Errors, Is.TypeOf<S3ErrorSinkFactory>());
        }
    }
}

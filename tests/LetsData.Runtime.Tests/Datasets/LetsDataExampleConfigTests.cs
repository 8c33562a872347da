using LetsData.Runtime.Connectors.DynamoDBStreams;
using LetsData.Runtime.Connectors.Kinesis;
using LetsData.Runtime.Connectors.S3;
using LetsData.Runtime.Connectors.Sqs;
using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Tests.Datasets;

/// <summary>
/// Each example dataset of the LetsData spec (§5, put together in Data/LetsDataExamples) loads as it is, with one
/// notice per LetsData-only field — or, when it cannot run here, fails with problems naming the fields.
/// </summary>
public class LetsDataExampleConfigTests
{
    private static string Example(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "LetsDataExamples", name);

    private static Dataset Load(string name) => DatasetLoader.Load(Example(name), "plugins");

    private static IReadOnlyList<string> Problems(string name) =>
        Assert.Throws<DatasetConfigException>(() => Load(name))!.Problems;

    private static void AssertNotices(Dataset dataset, params string[] fieldsInOrder)
    {
        Assert.That(dataset.Notices.Select(n => n[..n.IndexOf(':', StringComparison.Ordinal)]), Is.EqualTo(fieldsInOrder));
    }

    [Test]
    public void S3LinkManifestWithKinesisWriterLoads_EveryLetsDataOnlyFieldANotice()
    {
        var dataset = Load("s3-link-manifest-kinesis-writer.json");

        Assert.That(dataset.ArtifactFile, Is.EqualTo("s3://bucket/alphanumeric-reader.zip"));
        Assert.That(dataset.Write, Is.EqualTo(new KinesisOutput("AlphaNumericOnly", CompressRecords: false) { ShardCount = 3 }));
        Assert.That(dataset.Concurrency, Is.EqualTo(5));
        Assert.That(dataset.TaskTimeBox, Is.EqualTo(TimeSpan.FromSeconds(900)));
        Assert.That(dataset.Limits.MemoryLimitBytes, Is.EqualTo(10240L * 1024 * 1024));
        Assert.That(dataset.AccessGrant?.RoleArn, Is.EqualTo("arn:aws:iam::123456789012:role/LetsDataAccess"));
        AssertNotices(dataset,
            "region",
            "customerAccountForAccess, customerAccessRoleArn, createDatetime",
            "readConnector.artifactFileS3LinkResourceLocation, readConnector.bucketResourceLocation, writeConnector.resourceLocation, errorConnector.resourceLocation, manifestFile.readerManifestResourceLocation",
            "writeConnector.streamName",
            "computeEngine.computeEngineType",
            "computeEngine.logLevel");
        Assert.That(dataset.Notices[0], Does.StartWith("region: 'us-east-1' is not applied; every AWS client of the dataset takes its region from AWS_REGION"));
    }

    [Test]
    public void KinesisReaderLoads_TheStreamArnNamesTheStream()
    {
        var dataset = Load("kinesis-reader.json");

        Assert.That(dataset.ReaderType, Is.EqualTo(ReaderType.KinesisRecordReader));
        Assert.That(dataset.Read, Is.InstanceOf<KinesisInput>().With.Property(nameof(KinesisInput.StreamName)).EqualTo("clickstream")
            .And.Property(nameof(KinesisInput.Continuous)).True);
        Assert.That(dataset.Write, Is.EqualTo(new KinesisOutput("KinesisCopy", CompressRecords: false) { ShardCount = 2 }));
        AssertNotices(dataset, "region", "readConnector.resourceLocation, writeConnector.resourceLocation, errorConnector.resourceLocation",
            "writeConnector.streamName", "computeEngine.computeEngineType", "computeEngine.logLevel",
            "manifestFile.kinesisReaderTaskContinuousPollFrequency");
    }

    [Test]
    public void DynamoDBStreamsReaderLoads()
    {
        var dataset = Load("dynamodb-streams-reader.json");

        Assert.That(dataset.Read, Is.InstanceOf<DynamoDBStreamsInput>().With.Property(nameof(DynamoDBStreamsInput.StreamArn))
            .EqualTo("arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000"));
        AssertNotices(dataset, "region", "readConnector.resourceLocation, writeConnector.resourceLocation, errorConnector.resourceLocation",
            "writeConnector.streamName", "computeEngine.computeEngineType", "computeEngine.logLevel",
            "manifestFile.dynamoDBReaderTaskContinuousPollFrequency");
    }

    [Test]
    public void SqsReaderWithSqsWriterLoads()
    {
        var dataset = Load("sqs-reader-sqs-writer.json");

        Assert.That(dataset.Read, Is.EqualTo(new SqsInput("incoming-orders", null, 4, Continuous: false, StopAfterConsecutiveEmptyReceives: 10)));
        Assert.That(dataset.Write, Is.EqualTo(new SqsOutput("parsed-orders", null, "docId")));
        Assert.That(dataset.Errors, Is.InstanceOf<S3Output>());
        AssertNotices(dataset, "region", "readConnector.resourceLocation, writeConnector.resourceLocation, errorConnector.resourceLocation",
            "computeEngine.computeEngineType", "computeEngine.logLevel");
    }

    [Test]
    public void S3JavaReaderCannotRunHere_TheJarTheLanguageAndTheUnnamedErrorBucketAreNamed()
    {
        var problems = Problems("s3-java-single-file-reader.json");

        Assert.That(problems, Has.One.StartsWith("readConnector.artifactFileS3Link: 's3://bucket/x-jar-with-dependencies.jar' is a Java jar"));
        Assert.That(problems, Has.One.StartsWith("readConnector.artifactImplementationLanguage: 'Java' is not supported"));
        Assert.That(problems, Has.One.StartsWith("errorConnector.bucketName: required"));
        Assert.That(problems, Has.None.Contains("unknown field"));
    }

    [Test]
    public void S3PythonReaderCannotRunAsItIs_TheProjectFolderArtifactFileIsAskedFor()
    {
        var problems = Problems("s3-python-single-file-reader.json");

        Assert.That(problems, Has.Some.StartsWith("readConnector.artifactFile: required"));
        Assert.That(problems, Has.None.Contains("unknown field"));
    }

    [Test]
    public void SparkCannotRunHere_EachSparkFieldIsNamed()
    {
        var problems = Problems("spark.json");

        foreach (var field in new[] { "readConnector.sparkFileFormat", "writeConnector.writerType", "computeEngine.runSparkInterfaces", "computeEngine.computeEngineType" })
        {
            Assert.That(problems, Has.One.StartsWith(field + ":"), field);
        }

        Assert.That(problems, Has.None.Contains("unknown field"));
    }
}

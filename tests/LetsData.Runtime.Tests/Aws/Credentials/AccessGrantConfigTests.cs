using LetsData.Runtime.Aws.Credentials;
using LetsData.Runtime.Datasets;
using static LetsData.Runtime.Tests.Datasets.DatasetConfigChecks;

// Not ...Tests.Aws.Credentials: a LetsData.Runtime.Tests.Aws namespace would hide LetsData.Runtime.Aws from the tests that name it "Aws.".
namespace LetsData.Runtime.Tests.Credentials;

/// <summary>The dataset's <c>accessGrantRoleArn</c> and <c>accessGrantExternalId</c>: validated, problems named by field.</summary>
public class AccessGrantConfigTests
{
    private static DatasetConfig Config(string? roleArn, string? externalId = null) => new()
    {
        DatasetName = "Granted1",
        AccessGrantRoleArn = roleArn,
        AccessGrantExternalId = externalId,
        ReadConnector = new ReadConnectorConfig
        {
            ConnectorDestination = "S3", BucketName = "input-bucket", ArtifactFile = "P/P.dll", ReaderType = "Single File Reader",
        },
        WriteConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" },
        ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" },
        ManifestFile = new ManifestFileConfig { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.gz" },
    };

    [Test]
    public void ARoleArnBecomesTheDatasetsGrantWithASessionNamedForTheDataset()
    {
        var dataset = DatasetLoader.Validate(Config("arn:aws:iam::123456789012:role/letsdata/ReadInputs", "ext-42"), "test", "plugins");

        Assert.That(dataset.AccessGrant, Is.EqualTo(new AccessGrant("arn:aws:iam::123456789012:role/letsdata/ReadInputs", "ext-42", "letsdata-Granted1")));
    }

    [Test]
    public void WithoutARoleThereIsNoGrant()
    {
        var dataset = DatasetLoader.Validate(Config(null), "test", "plugins");

        Assert.That(dataset.AccessGrant, Is.Null);
    }

    [TestCase("arn:aws-cn:iam::123456789012:role/R")]
    [TestCase("arn:aws-us-gov:iam::123456789012:role/a/b/c/Name+=,.@-_1")]
    public void OtherPartitionsAndRolePathsAreAccepted(string roleArn)
    {
        Assert.That(DatasetLoader.Validate(Config(roleArn), "test", "plugins").AccessGrant?.RoleArn, Is.EqualTo(roleArn));
    }

    [TestCase("arn:aws:iam::123456789012:user/worker")]
    [TestCase("arn:aws:iam::12345:role/R")]
    [TestCase("arn:aws:sts::123456789012:assumed-role/R/s")]
    [TestCase("arn:aws:iam:us-east-1:123456789012:role/R")]
    [TestCase("ReadInputs")]
    [TestCase("")]
    public void AnythingButAnIamRoleArnIsAProblemNamingTheField(string roleArn)
    {
        Assert.That(Problems(Config(roleArn)), Is.EqualTo(new[]
        {
            $"accessGrantRoleArn: '{roleArn}' is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)",
        }));
    }

    [Test]
    public void ARoleNameLongerThanIamAllowsIsAProblem()
    {
        Assert.That(Problems(Config("arn:aws:iam::123456789012:role/" + new string('r', 65))).Single(), Does.StartWith("accessGrantRoleArn: "));
    }

    [Test]
    public void AnExternalIdWithoutARoleIsAProblem()
    {
        Assert.That(Problems(Config(null, "ext-42")), Is.EqualTo(new[]
        {
            "accessGrantExternalId: only used with accessGrantRoleArn (the role whose trust policy asks for it)",
        }));
    }

    [TestCase("x")]
    [TestCase("has space")]
    public void AMalformedExternalIdIsAProblem(string externalId)
    {
        Assert.That(Problems(Config("arn:aws:iam::123456789012:role/R", externalId)), Is.EqualTo(new[]
        {
            "accessGrantExternalId: must be 2-1224 characters of letters, digits and +=,.@:/-",
        }));
    }

    [Test]
    public void TheFieldsAreReadFromDatasetJson()
    {
        var file = Path.Combine(Path.GetTempPath(), $"letsdata-grant-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """
            { "datasetName": "Granted2", "accessGrantRoleArn": "arn:aws:iam::123456789012:role/R", "accessGrantExternalId": "e1",
              "readConnector": { "connectorDestination": "S3", "bucketName": "input-bucket", "artifactFile": "P/P.dll", "readerType": "Single File Reader" },
              "writeConnector": { "connectorDestination": "LocalFiles", "outputPath": "out/docs" },
              "errorConnector": { "connectorDestination": "LocalFiles", "outputPath": "out/errors" },
              "manifestFile": { "manifestType": "S3ReaderTextManifestFile", "fileContents": "a.gz" } }
            """);
        try
        {
            Assert.That(DatasetLoader.Load(file, "plugins").AccessGrant, Is.EqualTo(new AccessGrant("arn:aws:iam::123456789012:role/R", "e1", "letsdata-Granted2")));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

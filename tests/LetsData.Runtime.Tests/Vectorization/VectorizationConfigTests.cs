using LetsData.Runtime.Datasets;

namespace LetsData.Runtime.Tests.Vectorization;

/// <summary>computeEngine <c>LAMBDA_AND_SAGEMAKER</c> in LetsData's shape, and the fields a run adds to it.</summary>
public class VectorizationConfigTests
{
    private static DatasetConfig Config(ComputeEngineConfig engine, string? vectorizerClass = null) => new()
    {
        DatasetName = "Vectors",
        ReadConnector = new ReadConnectorConfig
        {
            ConnectorDestination = "LocalFiles", RootPath = ".", ArtifactFile = "P/P.dll", ReaderType = "Single File Reader",
            SagemakerVectorsInterfaceClassName = vectorizerClass,
        },
        WriteConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" },
        ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" },
        ComputeEngine = engine,
        ManifestFile = new ManifestFileConfig { ManifestType = "S3ReaderTextManifestFile", FileContents = "a.txt" },
    };

    [Test]
    public void LetsDatasShapeLoadsWithTheEndpointNameAndLambdaSettings()
    {
        var file = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"vectors-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """
            {
              "datasetName": "Vectors",
              "readConnector": { "connectorDestination": "LocalFiles", "rootPath": ".", "artifactFile": "P/P.dll",
                "readerType": "Single File Reader", "singleFileParserImplementationClassName": "P.Parser",
                "sagemakerVectorsInterfaceClassName": "P.Vectorizer" },
              "writeConnector": { "connectorDestination": "LocalFiles", "outputPath": "out/docs" },
              "errorConnector": { "connectorDestination": "LocalFiles", "outputPath": "out/errors" },
              "computeEngine": {
                "computeEngineType": "LAMBDA_AND_SAGEMAKER",
                "lambda": { "lambdaConcurrency": 3, "lambdaMemoryLimitInMegabytes": 512, "lambdaTimeoutInSeconds": 900, "logLevel": "WARN" },
                "model": { "modelResourceLocation": "Customer", "modelUrl": "s3://m/model.tar.gz", "modelUrlResourceLocation": "Customer",
                  "modelEnvironmentVariables": { "HF_TASK": "feature-extraction" }, "modelContainerImageName": "hf-tei" },
                "endpoint": { "sagemakerEndpointType": "Serverless", "sagemakerEndpointResourceLocation": "Customer",
                  "sagemakerServerless": { "sagemakerEndpointConcurrency": 2, "sagemakerMemoryLimitInMegabytes": 4096 },
                  "sagemakerEndpointName": "embed-1", "sagemakerBatchSize": 8 }
              },
              "manifestFile": { "manifestType": "S3ReaderTextManifestFile", "fileContents": "a.txt" }
            }
            """);
        try
        {
            var dataset = DatasetLoader.Load(file, "plugins");

            Assert.That(dataset.Vectorization, Is.EqualTo(new SagemakerVectorization("embed-1", 8, SagemakerVectorization.DefaultBatchMaxBytes, "P.Vectorizer")));
            Assert.That(dataset.Concurrency, Is.EqualTo(3));
            Assert.That(dataset.Limits.MemoryLimitBytes, Is.EqualTo(512L * 1024 * 1024));
            Assert.That(dataset.TaskTimeBox, Is.EqualTo(TimeSpan.FromSeconds(900)), "lambdaTimeoutInSeconds: the task time box");
            Assert.That(dataset.Notices, Is.EqualTo(new[]
            {
                "computeEngine.endpoint.sagemakerEndpointResourceLocation: ignored; every resource is reached with the dataset's credentials (accessGrantRoleArn, else the worker's)",
                "computeEngine.lambda.logLevel: ignored; the worker's logging configuration sets the level",
                "computeEngine.model: ignored; LetsData deploys the model, this worker calls the existing endpoint computeEngine.endpoint.sagemakerEndpointName",
                "computeEngine.endpoint.sagemakerEndpointType, sagemakerServerless: ignored; the endpoint exists already, sized as it was deployed",
            }));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public void AMissingEndpointNameAndOutOfRangeBatchesAreNamedByField()
    {
        var problems = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config(new ComputeEngineConfig
        {
            ComputeEngineType = "LAMBDA_AND_SAGEMAKER",
            Endpoint = new SagemakerEndpointConfig { SagemakerBatchSize = 0, SagemakerBatchMaxBytes = 7 * 1024 * 1024 },
        }), "test", "plugins"))!.Problems;

        Assert.That(problems, Has.One.StartsWith("computeEngine.endpoint.sagemakerEndpointName: required"));
        Assert.That(problems, Has.One.StartsWith("computeEngine.endpoint.sagemakerBatchSize: 0 is out of range"));
        Assert.That(problems, Has.One.StartsWith("computeEngine.endpoint.sagemakerBatchMaxBytes: 7340032 is out of range"));
    }

    [Test]
    public void NoEndpointSectionAndABadNameAreProblems()
    {
        var noEndpoint = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config(new ComputeEngineConfig
        {
            ComputeEngineType = "LAMBDA_AND_SAGEMAKER",
        }), "test", "plugins"))!.Problems;
        var badName = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config(new ComputeEngineConfig
        {
            ComputeEngineType = "LAMBDA_AND_SAGEMAKER",
            Endpoint = new SagemakerEndpointConfig { SagemakerEndpointName = "not_valid!" },
        }), "test", "plugins"))!.Problems;

        Assert.That(noEndpoint, Has.One.StartsWith("computeEngine.endpoint: required"));
        Assert.That(badName, Has.One.StartsWith("computeEngine.endpoint.sagemakerEndpointName: 'not_valid!' is not a SageMaker endpoint name"));
    }

    [Test]
    public void AVectorizerClassOrEndpointWithoutTheSagemakerEngineIsAProblem()
    {
        var problems = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config(new ComputeEngineConfig
        {
            ComputeEngineType = "Local",
            Endpoint = new SagemakerEndpointConfig { SagemakerEndpointName = "embed" },
        }, "P.Vectorizer"), "test", "plugins"))!.Problems;

        Assert.That(problems, Has.One.StartsWith("readConnector.sagemakerVectorsInterfaceClassName: set only with computeEngine.computeEngineType \"LAMBDA_AND_SAGEMAKER\""));
        Assert.That(problems, Has.One.StartsWith("computeEngine: lambda, model and endpoint are the sections of"));
    }

    [Test]
    public void ALocalDatasetHasNoVectorizationAndOtherEngineTypesAreStillRefused()
    {
        var local = DatasetLoader.Validate(Config(new ComputeEngineConfig { ComputeEngineType = "Local" }), "test", "plugins");
        var problems = Assert.Throws<DatasetConfigException>(() => DatasetLoader.Validate(Config(new ComputeEngineConfig
        {
            ComputeEngineType = "Spark",
        }), "test", "plugins"))!.Problems;

        Assert.That(local.Vectorization, Is.Null);
        Assert.That(problems, Has.One.StartsWith("computeEngine.computeEngineType: 'Spark' is not supported"));
    }
}

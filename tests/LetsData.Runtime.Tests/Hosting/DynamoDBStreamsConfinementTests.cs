using LetsData.Runtime.DataTasks;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Hosting;

namespace LetsData.Runtime.Tests.Hosting;

/// <summary>A data task reading a DynamoDB stream may reach the streams endpoint, and inherits the variable naming it.</summary>
public class DynamoDBStreamsConfinementTests
{
    [Test]
    public void TheStreamsEndpointPortIsAllowed_AndItsVariableReachesTheDataTask()
    {
        var dataset = DatasetLoader.Validate(new DatasetConfig
        {
            DatasetName = "Streams",
            ReadConnector = new ReadConnectorConfig
            {
                ConnectorDestination = "DynamoDBStreams", TableName = "documents", ArtifactFile = "P/P.dll", ReaderType = "DynamoDB Streams Record Reader",
            },
            WriteConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/docs" },
            ErrorConnector = new WriteConnectorConfig { ConnectorDestination = "LocalFiles", OutputPath = "out/errors" },
        }, "test", "plugins");
        var environment = new Dictionary<string, string>
        {
            ["AWS_ENDPOINT_URL"] = "http://127.0.0.1:4000", ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = "http://127.0.0.1:4571",
        };

        var policy = new DataTaskConfinementPlan("dataset.json", dataset, writesOutputs: true)
            .For(Path.GetTempPath(), "/plugins/P/P.dll", name => environment.GetValueOrDefault(name));

        Assert.That(DatasetKeys.UsesAws(dataset), Is.True);
        Assert.That(policy.TcpConnectPorts, Is.EqualTo(new[] { 4000, 4571 }), "every other service on AWS_ENDPOINT_URL's port; no 443");
        Assert.That(DataTaskEnvironment.Inherited, Does.Contain("AWS_ENDPOINT_URL_DYNAMODB_STREAMS"));
    }
}

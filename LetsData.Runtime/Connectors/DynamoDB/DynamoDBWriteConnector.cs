using Amazon.Runtime;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Datasets;
using LetsData.Runtime.Writing;
using LetsData.Runtime.Writing.DynamoDB;

namespace LetsData.Runtime.Connectors.DynamoDB;

/// <summary>A DynamoDB write connector: one item per document; the document id goes to <see cref="KeyAttributeName"/> (null: the table's partition key).</summary>
public sealed record DynamoDBOutput(string TableName, string? KeyAttributeName) : WriteConnectorSettings
{
    public override string Location => $"dynamodb://{TableName}";
    internal override IWriteConnector Connector => DynamoDBWriteConnector.Instance;
}

/// <summary>The <c>DynamoDB</c> write connector (documents only): BatchWriteItem in 25s.</summary>
internal sealed class DynamoDBWriteConnector : IWriteConnector
{
    public static DynamoDBWriteConnector Instance { get; } = new();

    public string Destination => "DynamoDB";
    public bool WritesErrors => false;

    public WriteConnectorSettings? Validate(string field, WriteConnectorConfig connector, List<string> problems)
    {
        ConfigFields.Forbid(field, Destination, problems, ("outputPath", connector.OutputPath), ("bucketName", connector.BucketName),
            ("prefix", connector.Prefix), ("compress", connector.Compress), ("streamName", connector.StreamName),
            ("compressRecords", connector.CompressRecords));
        ConfigFields.Forbid(field, Destination, problems, ConfigFields.QueueFields(connector));
        if (!ConfigFields.TableName.IsValid(connector.TableName))
        {
            problems.Add($"{field}.tableName: {ConfigFields.TableName.Problem(connector.TableName)}");
            return null;
        }

        return new DynamoDBOutput(connector.TableName!, connector.KeyAttributeName);
    }

    public IDocumentSinkFactory CreateDocumentSinks(WriteConnectorSettings settings, SinkSetup setup)
    {
        var output = (DynamoDBOutput)settings;
        return new DynamoDBDocumentSinkFactory(DynamoDBClients.Create(credentials: setup.Credentials), output.TableName, output.KeyAttributeName, ownsClient: true);
    }

    public IErrorSinkFactory CreateErrorSinks(WriteConnectorSettings settings, SinkSetup setup) =>
        throw new NotSupportedException("a DynamoDB connector takes documents only");

    public string? SetupProblem(string field, Exception e) => e is AmazonClientException client ? DynamoDBClients.SetupProblem(field, client) : null;
}

using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
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

    /// <summary>The partition key of a table <c>--create-destinations</c> creates when <c>keyAttributeName</c> is not given.</summary>
    public const string DefaultKeyAttributeName = "documentId";

    // A string partition key named by keyAttributeName, on-demand billing; no stream (the dataset only writes to it).
    public async Task<string?> CreateDestinationAsync(WriteConnectorSettings settings, SinkSetup setup, CancellationToken cancellationToken)
    {
        var output = (DynamoDBOutput)settings;
        using var client = DynamoDBClients.Create(credentials: setup.Credentials);
        try
        {
            var existing = await client.DescribeTableAsync(output.TableName, cancellationToken).ConfigureAwait(false);
            await WaitForActiveAsync(client, output.TableName, existing.Table.TableStatus, cancellationToken).ConfigureAwait(false);
            return $"DynamoDB table {output.TableName} exists; left as it is";
        }
        catch (ResourceNotFoundException)
        {
            // Missing: created below.
        }

        var key = output.KeyAttributeName ?? DefaultKeyAttributeName;
        try
        {
            var created = await client.CreateTableAsync(new CreateTableRequest
            {
                TableName = output.TableName,
                AttributeDefinitions = [new AttributeDefinition(key, ScalarAttributeType.S)],
                KeySchema = [new KeySchemaElement(key, KeyType.HASH)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
            }, cancellationToken).ConfigureAwait(false);
            await WaitForActiveAsync(client, output.TableName, created.TableDescription.TableStatus, cancellationToken).ConfigureAwait(false);
        }
        catch (ResourceInUseException)
        {
            // Created meanwhile by another worker: wait for it like for our own.
            await WaitForActiveAsync(client, output.TableName, TableStatus.CREATING, cancellationToken).ConfigureAwait(false);
        }

        return $"created DynamoDB table {output.TableName} (partition key {key}, a string; on-demand billing)";
    }

    private static async Task WaitForActiveAsync(IAmazonDynamoDB client, string table, TableStatus status, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(50);
        var waited = TimeSpan.Zero;
        while (status != TableStatus.ACTIVE)
        {
            if (waited > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"DynamoDB table {table} is still {status} after 5 minutes");
            }

            await Task.Delay(pause, cancellationToken).ConfigureAwait(false);
            waited += pause;
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(2).Ticks));
            status = (await client.DescribeTableAsync(table, cancellationToken).ConfigureAwait(false)).Table.TableStatus;
        }
    }
}

using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace LetsData.Runtime.Aws.DynamoDB;

/// <summary>A table's primary key: the partition (hash) key and the optional sort (range) key, with their types.</summary>
public sealed record DynamoDBKeySchema(string PartitionKey, ScalarAttributeType PartitionKeyType, string? SortKey, ScalarAttributeType? SortKeyType)
{
    /// <summary>Learns the key schema with one <c>DescribeTable</c> call.</summary>
    public static async Task<DynamoDBKeySchema> DescribeAsync(IAmazonDynamoDB client, string tableName, CancellationToken cancellationToken)
    {
        DescribeTableResponse response;
        try
        {
            response = await client.DescribeTableAsync(new DescribeTableRequest { TableName = tableName }, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new DynamoDBOperationException(
                $"DynamoDB table '{tableName}': DescribeTable failed with {e.ErrorCode} (HTTP {(int)e.StatusCode}): {e.Message}", tableName, e.ErrorCode, e);
        }

        return From(response.Table);
    }

    /// <summary>The key schema of a described table.</summary>
    public static DynamoDBKeySchema From(TableDescription table)
    {
        var tableName = table.TableName;
        string? partitionKey = null, sortKey = null;
        foreach (var element in table.KeySchema ?? [])
        {
            if (element.KeyType == KeyType.HASH)
            {
                partitionKey = element.AttributeName;
            }
            else if (element.KeyType == KeyType.RANGE)
            {
                sortKey = element.AttributeName;
            }
        }

        if (partitionKey is null)
        {
            throw new DynamoDBOperationException($"DynamoDB table '{tableName}': DescribeTable returned no partition key", tableName, null);
        }

        return new DynamoDBKeySchema(partitionKey, TypeOf(partitionKey), sortKey, sortKey is null ? null : TypeOf(sortKey));

        ScalarAttributeType TypeOf(string attribute) =>
            table.AttributeDefinitions?.FirstOrDefault(d => d.AttributeName == attribute)?.AttributeType
            ?? throw new DynamoDBOperationException($"DynamoDB table '{tableName}': key attribute '{attribute}' has no attribute definition", tableName, null);
    }
}

/// <summary>
/// Describes a table once for all tasks of a connector. A failed describe is not cached, so a transient failure costs
/// one task and not the whole run.
/// </summary>
internal sealed class DynamoDBKeySchemaLoader(IAmazonDynamoDB client, string tableName)
{
    private readonly Lock _lock = new();
    private Task<DynamoDBKeySchema>? _schema;

    public Task<DynamoDBKeySchema> GetAsync()
    {
        lock (_lock)
        {
            if (_schema is null || _schema.IsFaulted || _schema.IsCanceled)
            {
                _schema = DynamoDBKeySchema.DescribeAsync(client, tableName, CancellationToken.None);
            }

            return _schema;
        }
    }
}

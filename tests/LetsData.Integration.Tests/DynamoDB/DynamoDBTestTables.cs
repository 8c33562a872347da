using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.Interfaces.Documents;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Integration.Tests.DynamoDB;

/// <summary>Tables of random names in dynalite, and what the tests need to look into them.</summary>
internal static class DynamoDBTestTables
{
    public static AmazonDynamoDBClient NewClient(DynamoDBFaultInjectingHttpClientFactory? faults = null) =>
        DynamoDBClients.Create(config =>
        {
            if (faults is not null)
            {
                config.HttpClientFactory = faults;

                // The connector's own retries are under test, not the SDK's.
                config.MaxErrorRetry = 0;
            }
        });

    public static async Task<string> CreateAsync(IAmazonDynamoDB client, string partitionKey, string? sortKey = null, ScalarAttributeType? sortKeyType = null,
        StreamSpecification? stream = null)
    {
        var name = "letsdata-it-" + Guid.NewGuid().ToString("N")[..12];
        var request = new CreateTableRequest
        {
            TableName = name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement(partitionKey, KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition(partitionKey, ScalarAttributeType.S)],
            StreamSpecification = stream,
        };
        if (sortKey is not null)
        {
            request.KeySchema.Add(new KeySchemaElement(sortKey, KeyType.RANGE));
            request.AttributeDefinitions.Add(new AttributeDefinition(sortKey, sortKeyType ?? ScalarAttributeType.S));
        }

        await client.CreateTableAsync(request);

        // dynalite turns the table ACTIVE just after answering, even with --createTableMs 0: a write right away
        // can still meet a CREATING table (ResourceNotFoundException).
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var table = await client.DescribeTableAsync(name);
            if (table.Table.TableStatus == TableStatus.ACTIVE)
            {
                return name;
            }

            await Task.Delay(10);
        }

        throw new InvalidOperationException($"table {name} did not become ACTIVE");
    }

    public static async Task<List<Dictionary<string, AttributeValue>>> ScanAllAsync(IAmazonDynamoDB client, string table)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await client.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start, ConsistentRead = true });
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return items;
    }

    /// <summary>Asserts the item holds exactly the JSON's fields, numbers with their exact text.</summary>
    public static void AssertItemEqualsJson(JsonElement expected, AttributeValue actual, string path)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.String:
                Assert.That(actual.S, Is.EqualTo(expected.GetString()), path);
                break;
            case JsonValueKind.Number:
                Assert.That(actual.N, Is.EqualTo(expected.GetRawText()), path);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                Assert.That(actual.BOOL, Is.EqualTo(expected.GetBoolean()), path);
                break;
            case JsonValueKind.Null:
                Assert.That(actual.NULL, Is.True, path);
                break;
            case JsonValueKind.Array:
                Assert.That(actual.L, Is.Not.Null, path);
                Assert.That(actual.L, Has.Count.EqualTo(expected.GetArrayLength()), path);
                var i = 0;
                foreach (var element in expected.EnumerateArray())
                {
                    AssertItemEqualsJson(element, actual.L![i], $"{path}[{i}]");
                    i++;
                }

                break;
            case JsonValueKind.Object:
                Assert.That(actual.M, Is.Not.Null, path);
                AssertItemEqualsJson(expected, actual.M!, path);
                break;
            default:
                Assert.Fail($"{path}: unexpected JSON {expected.ValueKind}");
                break;
        }
    }

    public static void AssertItemEqualsJson(JsonElement expected, Dictionary<string, AttributeValue> actual, string path)
    {
        Assert.That(actual.Keys, Is.EquivalentTo(expected.EnumerateObject().Select(p => p.Name)), path);
        foreach (var property in expected.EnumerateObject())
        {
            AssertItemEqualsJson(property.Value, actual[property.Name], $"{path}.{property.Name}");
        }
    }
}

/// <summary>A document that is exactly the JSON it is given.</summary>
internal sealed class RawJsonDocument(string? documentId, string json) : IDocument
{
    public string? DocumentId { get; } = documentId;
    public string? RecordType => null;
    public string? PartitionKey => DocumentId;
    public IReadOnlyDictionary<string, object?>? DocumentMetadata => null;
    public string Json { get; } = json;

    public string? Serialize() => Json;
}

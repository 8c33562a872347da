using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.Reading.DynamoDB;

/// <summary>Scans one segment page by page, handing items out as plain values with their keys picked out.</summary>
internal sealed class DynamoDBSegmentReader(
    IAmazonDynamoDB client, string tableName, int segment, int totalSegments, int? pageLimit,
    DynamoDBKeySchemaLoader keySchema, Dictionary<string, AttributeValue>? exclusiveStartKey) : IDynamoDBSegmentReader
{
    private Dictionary<string, AttributeValue>? _startKey = exclusiveStartKey;
    private bool _done;

    public IReadOnlyDictionary<string, object?>? LastEvaluatedKey { get; private set; }

    public async ValueTask<bool> ReadAsync(List<DynamoDBItem> page, CancellationToken cancellationToken)
    {
        // A page can come back empty with more to scan (a sparse segment): keep going so every true means items.
        while (!_done)
        {
            var schema = await keySchema.GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            var response = await ScanAsync(cancellationToken).ConfigureAwait(false);
            var items = response.Items ?? [];
            foreach (var item in items)
            {
                var plain = PlainAttributeValues.ToPlainItem(item);
                page.Add(new DynamoDBItem(KeysOf(plain, schema), plain));
            }

            _startKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            LastEvaluatedKey = _startKey is null ? null : PlainAttributeValues.ToPlainItem(_startKey);
            _done = _startKey is null;
            if (items.Count > 0)
            {
                return true;
            }
        }

        return false;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task<ScanResponse> ScanAsync(CancellationToken cancellationToken)
    {
        var request = new ScanRequest { TableName = tableName, ExclusiveStartKey = _startKey };
        if (totalSegments > 1)
        {
            request.Segment = segment;
            request.TotalSegments = totalSegments;
        }

        if (pageLimit is { } limit)
        {
            request.Limit = limit;
        }

        try
        {
            return await client.ScanAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonServiceException e)
        {
            throw new DynamoDBOperationException(
                $"DynamoDB table '{tableName}', segment {segment}: Scan failed with {e.ErrorCode} (HTTP {(int)e.StatusCode}): {e.Message}", tableName, e.ErrorCode, e);
        }
    }

    private static Dictionary<string, object?> KeysOf(Dictionary<string, object?> item, DynamoDBKeySchema schema)
    {
        var keys = new Dictionary<string, object?>(schema.SortKey is null ? 1 : 2, StringComparer.Ordinal)
        {
            [schema.PartitionKey] = item.GetValueOrDefault(schema.PartitionKey),
        };
        if (schema.SortKey is { } sortKey)
        {
            keys[sortKey] = item.GetValueOrDefault(sortKey);
        }

        return keys;
    }
}

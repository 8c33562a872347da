using Amazon.DynamoDBv2;
using LetsData.Runtime.Aws.DynamoDB;

namespace LetsData.Runtime.Reading.DynamoDB;

/// <summary>
/// The DynamoDB table read connector's source: a parallel scan of a table, one segment per task. The table is
/// described once per source, at the first page read, to know which attributes are the item's keys.
/// </summary>
public sealed class DynamoDBTableSource : IDynamoDBTableSource, IDisposable
{
    private readonly IAmazonDynamoDB _client;
    private readonly bool _ownsClient;
    private readonly int? _pageLimit;
    private readonly DynamoDBKeySchemaLoader _keySchema;

    /// <param name="client">The DynamoDB client (see <see cref="DynamoDBClients"/>).</param>
    /// <param name="tableName">The table scanned.</param>
    /// <param name="totalSegments">Segments of the parallel scan (= tasks), at least 1.</param>
    /// <param name="ownsClient">Dispose the client with this source.</param>
    /// <param name="pageLimit">Items per Scan call at most; null: DynamoDB's 1 MB pages.</param>
    public DynamoDBTableSource(IAmazonDynamoDB client, string tableName, int totalSegments, bool ownsClient = false, int? pageLimit = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(totalSegments, 1);
        _client = client;
        TableName = tableName;
        TotalSegments = totalSegments;
        _ownsClient = ownsClient;
        _pageLimit = pageLimit;
        _keySchema = new DynamoDBKeySchemaLoader(client, tableName);
    }

    public string TableName { get; }

    public int TotalSegments { get; }

    public string Describe() => $"DynamoDB table {TableName} ({TotalSegments} scan segment{(TotalSegments == 1 ? "" : "s")})";

    public IDynamoDBSegmentReader OpenSegment(int segment, IReadOnlyDictionary<string, object?>? exclusiveStartKey = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segment);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(segment, TotalSegments);
        return new DynamoDBSegmentReader(_client, TableName, segment, TotalSegments, _pageLimit, _keySchema,
            exclusiveStartKey is null ? null : PlainAttributeValues.FromPlainItem(exclusiveStartKey));
    }

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }
}

using System.Text.Json.Nodes;

// Not ".Emulators": that name is the one-time setup class (Support/Emulators.cs).
namespace LetsData.Integration.Tests.AwsEmulators;

/// <summary>The DynamoDB Streams calls the tests make, over a SigV4-signed <see cref="AwsJsonClient"/> (signing name "dynamodb").</summary>
internal sealed class DynamoDBStreamsApi(Uri endpoint) : IDisposable
{
    private const string Prefix = "DynamoDBStreams_20120810.";

    private readonly AwsJsonClient _client = new(endpoint, "dynamodb");

    public static DynamoDBStreamsApi FromEnvironment() => new(AwsJsonClient.EndpointFromEnvironment("AWS_ENDPOINT_URL_DYNAMODB_STREAMS"));

    public Task<JsonNode> CallAsync(string operation, object request) => _client.CallAsync(Prefix + operation, request);

    public async Task<JsonObject> DescribeStreamAsync(string streamArn) =>
        (await CallAsync("DescribeStream", new { StreamArn = streamArn }))["StreamDescription"]!.AsObject();

    public async Task<string> IteratorAsync(string streamArn, string shardId, string type, string? sequenceNumber = null) =>
        (string)(await CallAsync("GetShardIterator", sequenceNumber is null
            ? new { StreamArn = streamArn, ShardId = shardId, ShardIteratorType = type }
            : (object)new { StreamArn = streamArn, ShardId = shardId, ShardIteratorType = type, SequenceNumber = sequenceNumber }))["ShardIterator"]!;

    /// <summary>One GetRecords page: its records and its next iterator (null at the end of a closed shard).</summary>
    public async Task<(List<JsonNode> Records, string? Next)> GetRecordsAsync(string iterator, int? limit = null)
    {
        var page = await CallAsync("GetRecords", limit is null ? new { ShardIterator = iterator } : (object)new { ShardIterator = iterator, Limit = limit });
        return (page["Records"]!.AsArray().Select(r => r!).ToList(), (string?)page["NextShardIterator"]);
    }

    /// <summary>
    /// Every record of a shard from <paramref name="type"/> on: pages until a closed shard ends (no next iterator) or an
    /// open one has nothing more (an empty page). Bounded, so a reader that never ends fails instead of hanging.
    /// </summary>
    public async Task<(List<JsonNode> Records, bool ReachedEnd)> ReadShardAsync(string streamArn, string shardId, string type = "TRIM_HORIZON", int? limit = null)
    {
        var records = new List<JsonNode>();
        string? iterator = await IteratorAsync(streamArn, shardId, type);
        for (var page = 0; page < 1000 && iterator is not null; page++)
        {
            var (batch, next) = await GetRecordsAsync(iterator, limit);
            records.AddRange(batch);
            if (next is null)
            {
                return (records, true);
            }

            if (batch.Count == 0)
            {
                return (records, false);
            }

            iterator = next;
        }

        throw new InvalidOperationException($"shard {shardId} did not end within 1000 pages");
    }

    /// <summary>Every record of the stream, shard by shard in DescribeStream's order (a parent before its children).</summary>
    public async Task<List<JsonNode>> ReadStreamAsync(string streamArn)
    {
        var records = new List<JsonNode>();
        foreach (var shard in (await DescribeStreamAsync(streamArn))["Shards"]!.AsArray())
        {
            records.AddRange((await ReadShardAsync(streamArn, (string)shard!["ShardId"]!)).Records);
        }

        return records;
    }

    public void Dispose() => _client.Dispose();
}

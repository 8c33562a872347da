using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace LetsData.Integration.Tests.State;

/// <summary>One version of a task item as a scan of the task table saw it.</summary>
internal sealed record TaskVersion(string TaskId, long Version, string Status, string? WorkerId, DateTimeOffset? LeaseExpiresAt,
    DateTimeOffset? StartedAt, long? Checkpoint, int Attempts)
{
    public override string ToString() =>
        $"{TaskId} v{Version} {Status} by {WorkerId ?? "-"} (started {StartedAt:HH:mm:ss.fff}, lease until {LeaseExpiresAt:HH:mm:ss.fff}, " +
        $"checkpoint {Checkpoint?.ToString(CultureInfo.InvariantCulture) ?? "-"}, attempts {Attempts})";
}

/// <summary>
/// Watches a task table while workers share it: a consistent scan every <c>interval</c>, keeping each new version of
/// each task item, read straight from the items with the AWS SDK (not through the store under test).
/// </summary>
internal sealed class LeaseWatch : IAsyncDisposable
{
    private readonly IAmazonDynamoDB _client;
    private readonly string _table;
    private readonly List<TaskVersion> _seen = [];
    private readonly HashSet<(string, long)> _known = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watching;

    public LeaseWatch(IAmazonDynamoDB client, string table, TimeSpan interval)
    {
        _client = client;
        _table = table;
        _watching = WatchAsync(interval, _stop.Token);
    }

    public int Scans { get; private set; }

    /// <summary>Every version seen so far, in the order seen.</summary>
    public IReadOnlyList<TaskVersion> Seen
    {
        get
        {
            lock (_seen)
            {
                return _seen.ToList();
            }
        }
    }

    /// <summary>Whether <paramref name="workerId"/> was last seen holding a task with a checkpoint.</summary>
    public bool HoldsWithCheckpoint(string workerId) =>
        Seen.GroupBy(v => v.TaskId).Select(g => g.MaxBy(v => v.Version)!)
            .Any(v => v.WorkerId == workerId && v.Status == "PROCESSING" && v.Checkpoint is not null);

    /// <summary>Whether a task seen held by <paramref name="workerId"/> was seen held by another worker later.</summary>
    public bool TakenFrom(string workerId) =>
        Seen.GroupBy(v => v.TaskId).Any(versions => versions.Where(v => v.WorkerId == workerId && v.Status == "PROCESSING")
            .Select(v => v.Version).DefaultIfEmpty(long.MaxValue).Min() is var held
            && versions.Any(v => v.Version > held && v.WorkerId is not null && v.WorkerId != workerId));

    private async Task WatchAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await ScanAsync(CancellationToken.None);
            try
            {
                await Task.Delay(interval, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        var request = new ScanRequest { TableName = _table, ConsistentRead = true };
        try
        {
            do
            {
                var page = await _client.ScanAsync(request, cancellationToken);
                lock (_seen)
                {
                    foreach (var item in page.Items)
                    {
                        var version = Parse(item);
                        if (_known.Add((version.TaskId, version.Version)))
                        {
                            _seen.Add(version);
                        }
                    }
                }

                request.ExclusiveStartKey = page.LastEvaluatedKey;
            }
            while (request.ExclusiveStartKey is { Count: > 0 });

            Scans++;
        }
        catch (ResourceNotFoundException)
        {
            // The first worker has not created the table yet.
        }
    }

    private static TaskVersion Parse(Dictionary<string, AttributeValue> item) => new(
        item["taskId"].S,
        long.Parse(item["version"].N, CultureInfo.InvariantCulture),
        item["status"].S,
        Text(item, "workerId"),
        Time(item, "leaseExpiresAt"),
        Time(item, "startedAt"),
        Text(item, "checkpoint") is { } checkpoint ? (long)JsonNode.Parse(checkpoint)!["number"]! : null,
        int.Parse(item["attempts"].N, CultureInfo.InvariantCulture));

    private static string? Text(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static DateTimeOffset? Time(Dictionary<string, AttributeValue> item, string name) =>
        Text(item, name) is { } text ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null;

    /// <summary>Stops watching after one last scan.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watching;
        await ScanAsync(CancellationToken.None);
        _stop.Dispose();
    }
}

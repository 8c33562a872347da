using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.Integration.Tests.DynamoDB;
using LetsData.Runtime.Connectors;
using LetsData.Runtime.Connectors.DynamoDBStreams;
using LetsData.Runtime.Engine;
using LetsData.Runtime.Reading.DynamoDBStreams;

namespace LetsData.Integration.Tests.DynamoDBStreams;

/// <summary>
/// The DynamoDBStreams read connector against dynalite's streams front (our own SigV4 JSON 1.0 client): the stream
/// found from the table, start positions, the caught-up stop, resuming after a checkpoint, keys and images as plain values.
/// </summary>
public class DynamoDBStreamsReadConnectorTests
{
    private AmazonDynamoDBClient _dynamo = null!;

    [SetUp]
    public void NewClient() => _dynamo = DynamoDBTestTables.NewClient();

    [TearDown]
    public void DisposeIt() => _dynamo.Dispose();

    private static StreamSpecification View(StreamViewType type) => new() { StreamEnabled = true, StreamViewType = type };

    /// <summary>Opens the connector the way a run does; fails the test with the problems when it cannot.</summary>
    internal static async Task<ConnectorInputs> OpenAsync(DynamoDBStreamsInput input)
    {
        var problems = new List<string>();
        var opened = await DynamoDBStreamsReadConnector.Instance.TryOpenAsync(input,
            new InputRequest([], null, problems, StopWhenCaughtUp: false, CancellationToken.None));
        Assert.That(problems, Is.Empty);
        return opened!;
    }

    private static async Task<List<DynamoDBStreamRecord>> ReadToEndAsync(IDynamoDBStreamShardReader reader)
    {
        var records = new List<DynamoDBStreamRecord>();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (await reader.ReadAsync(records, guard.Token))
        {
        }

        return records;
    }

    private Task Put(string table, string id, long count, string? text = null)
    {
        var item = new Dictionary<string, AttributeValue> { ["documentId"] = new() { S = id }, ["count"] = new() { N = count.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        if (text is not null)
        {
            item["text"] = new AttributeValue { S = text };
        }

        return _dynamo.PutItemAsync(table, item);
    }

    [Test]
    public async Task Earliest_FromTheTable_ReadsEveryChangeInOrder_WithPlainKeysAndImages_AndStopsWhenCaughtUp()
    {
        var table = await DynamoDBTestTables.CreateAsync(_dynamo, "documentId", stream: View(StreamViewType.NEW_AND_OLD_IMAGES));
        await Put(table, "a", 1, "first");
        await Put(table, "b", 2);
        await Put(table, "a", 3, "second");
        await _dynamo.DeleteItemAsync(table, new Dictionary<string, AttributeValue> { ["documentId"] = new() { S = "b" } });

        var opened = await OpenAsync(new DynamoDBStreamsInput(table, null, DynamoDBStreamStartFrom.Earliest, Continuous: false));
        using var owned = opened.Owned;
        var task = opened.Tasks.Single();
        var arn = (await _dynamo.DescribeTableAsync(table)).Table.LatestStreamArn;
        Assert.That(task.Partition, Is.EqualTo(new SourcePartition(SourcePartitionKind.DynamoDBStreamShard, arn, task.TaskId)));

        var records = await ReadToEndAsync(opened.Sources.RequireDynamoDBStream().OpenShard(task.TaskId));

        Assert.That(records.Select(r => r.EventName), Is.EqualTo(new[] { "INSERT", "INSERT", "MODIFY", "REMOVE" }));
        Assert.That(records.Select(r => r.Keys["documentId"]), Is.EqualTo(new[] { "a", "b", "a", "b" }));
        Assert.That(records.Select(r => r.StreamViewType), Is.All.EqualTo("NEW_AND_OLD_IMAGES"));
        Assert.That(records[0].NewImage, Is.EqualTo(new Dictionary<string, object?> { ["documentId"] = "a", ["count"] = 1L, ["text"] = "first" }));
        Assert.That(records[0].OldImage, Is.Null);
        Assert.That(records[2].OldImage!["text"], Is.EqualTo("first"));
        Assert.That(records[2].NewImage!["count"], Is.EqualTo(3L));
        Assert.That(records[3].NewImage, Is.Null);
        Assert.That(records[3].OldImage!["count"], Is.EqualTo(2L));
        Assert.That(records.Select(r => System.Numerics.BigInteger.Parse(r.SequenceNumber, System.Globalization.CultureInfo.InvariantCulture)), Is.Ordered.Ascending);
    }

    [Test]
    public async Task Latest_WhenCaughtUp_ReadsNothingOld_AndContinuous_ReadsWhatIsWrittenAfterItStarted()
    {
        var table = await DynamoDBTestTables.CreateAsync(_dynamo, "documentId", stream: View(StreamViewType.NEW_IMAGE));
        await Put(table, "old", 1);
        var arn = (await _dynamo.DescribeTableAsync(table)).Table.LatestStreamArn;

        var caughtUp = await OpenAsync(new DynamoDBStreamsInput(null, arn, DynamoDBStreamStartFrom.Latest, Continuous: false));
        using (caughtUp.Owned)
        {
            Assert.That(await ReadToEndAsync(caughtUp.Sources.RequireDynamoDBStream().OpenShard(caughtUp.Tasks.Single().TaskId)), Is.Empty);
        }

        var continuous = await OpenAsync(new DynamoDBStreamsInput(null, arn, DynamoDBStreamStartFrom.Latest, Continuous: true));
        using var owned = continuous.Owned;
        var reader = continuous.Sources.RequireDynamoDBStream().OpenShard(continuous.Tasks.Single().TaskId);
        var seen = new List<DynamoDBStreamRecord>();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        Assert.That(await reader.ReadAsync(seen, guard.Token), Is.True, "a continuous reader goes on at the tip");
        await Put(table, "new-1", 2);
        await Put(table, "new-2", 3);
        while (seen.Count < 2)
        {
            Assert.That(await reader.ReadAsync(seen, guard.Token), Is.True);
        }

        Assert.That(seen.Select(r => r.Keys["documentId"]), Is.EqualTo(new[] { "new-1", "new-2" }));
    }

    [Test]
    public async Task ACheckpoint_ResumesJustAfterItsRecord()
    {
        var table = await DynamoDBTestTables.CreateAsync(_dynamo, "documentId", stream: View(StreamViewType.KEYS_ONLY));
        for (var i = 0; i < 12; i++)
        {
            await Put(table, $"k{i:D2}", i);
        }

        var opened = await OpenAsync(new DynamoDBStreamsInput(table, null, DynamoDBStreamStartFrom.Earliest, Continuous: false));
        using var owned = opened.Owned;
        var source = opened.Sources.RequireDynamoDBStream();
        var shard = opened.Tasks.Single().TaskId;
        var all = await ReadToEndAsync(source.OpenShard(shard));

        var resumed = await ReadToEndAsync(source.OpenShard(shard, afterSequenceNumber: all[4].SequenceNumber));

        Assert.That(resumed.Select(r => r.Keys["documentId"]), Is.EqualTo(all.Skip(5).Select(r => r.Keys["documentId"])));
        Assert.That(all.Select(r => r.NewImage), Is.All.Null, "KEYS_ONLY");
    }

    [Test]
    public async Task ATableWithoutAStream_OrNoTable_IsAProblemNamingTableName()
    {
        var plain = await DynamoDBTestTables.CreateAsync(_dynamo, "documentId");
        foreach (var (table, expected) in new[] { (plain, "has no stream"), ("letsdata-it-missing-" + Guid.NewGuid().ToString("N")[..8], "does not exist") })
        {
            var problems = new List<string>();
            var opened = await DynamoDBStreamsReadConnector.Instance.TryOpenAsync(
                new DynamoDBStreamsInput(table, null, DynamoDBStreamStartFrom.Earliest, false), new InputRequest([], null, problems, false, CancellationToken.None));

            Assert.That(opened, Is.Null);
            Assert.That(problems, Has.One.StartsWith($"readConnector.tableName: table {table} {expected}"));
        }
    }
}

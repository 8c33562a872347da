using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using LetsData.Runtime.Aws.DynamoDB;
using LetsData.Runtime.Reading.DynamoDB;

namespace LetsData.Integration.Tests.DynamoDB;

/// <summary>
/// The DynamoDB table read connector against dynalite: a parallel scan whose segments together give every item once,
/// as plain values, and a scan resumed from a page's last evaluated key continues right after it.
/// </summary>
public class DynamoDBTableSourceTests
{
    private const int ItemCount = 300;

    [Test]
    public async Task ThreeSegmentsTogetherReturnEveryItemOnceAsPlainValues()
    {
        using var client = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(client, "documentId");
        await PutItemsAsync(client, table, i => new Dictionary<string, AttributeValue>
        {
            ["documentId"] = new() { S = $"d{i:000}" },
            ["count"] = new() { N = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["price"] = new() { N = "12.75" },
            ["ok"] = new() { BOOL = i % 2 == 0 },
            ["none"] = new() { NULL = true },
            ["bin"] = new() { B = new MemoryStream(Encoding.UTF8.GetBytes($"b{i}")) },
            ["list"] = new() { L = [new() { N = "1" }, new() { S = "x" }] },
            ["map"] = new() { M = new() { ["k"] = new() { S = "v" }, ["n"] = new() { N = "-2.5" } } },
        });
        using var source = new DynamoDBTableSource(client, table, totalSegments: 3, pageLimit: 16);

        var segments = await Task.WhenAll(Enumerable.Range(0, 3).Select(s => ReadAllAsync(source.OpenSegment(s))));

        var all = segments.SelectMany(s => s).ToList();
        Assert.That(all.Select(i => (string)i.Keys["documentId"]!), Is.EquivalentTo(Enumerable.Range(0, ItemCount).Select(i => $"d{i:000}")));
        Assert.That(segments.Count(s => s.Count > 0), Is.GreaterThan(1), "the segments split the table");
        var item = all.Single(i => (string)i.Keys["documentId"]! == "d007");
        Assert.Multiple(() =>
        {
            Assert.That(item.Keys, Has.Count.EqualTo(1));
            Assert.That(item.Item["documentId"], Is.EqualTo("d007"));
            Assert.That(item.Item["count"], Is.TypeOf<long>().And.EqualTo(7L));
            Assert.That(item.Item["price"], Is.TypeOf<decimal>().And.EqualTo(12.75m));
            Assert.That(item.Item["ok"], Is.EqualTo(false));
            Assert.That(item.Item.ContainsKey("none") && item.Item["none"] is null, Is.True);
            Assert.That(item.Item["bin"], Is.TypeOf<byte[]>().And.EqualTo(Encoding.UTF8.GetBytes("b7")));
            Assert.That(item.Item["list"], Is.TypeOf<List<object?>>().And.EqualTo(new object?[] { 1L, "x" }));
            Assert.That(item.Item["map"], Is.TypeOf<Dictionary<string, object?>>());
            var map = (Dictionary<string, object?>)item.Item["map"]!;
            Assert.That(map["k"], Is.EqualTo("v"));
            Assert.That(map["n"], Is.TypeOf<decimal>().And.EqualTo(-2.5m));
        });
    }

    [Test]
    public async Task AScanResumedFromALastEvaluatedKeyContinuesRightAfterIt()
    {
        using var client = DynamoDBTestTables.NewClient();
        var table = await DynamoDBTestTables.CreateAsync(client, "pk", "sk", ScalarAttributeType.N);
        await PutItemsAsync(client, table, i => new Dictionary<string, AttributeValue>
        {
            ["pk"] = new() { S = $"p{i % 7}" },
            ["sk"] = new() { N = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        });
        using var source = new DynamoDBTableSource(client, table, totalSegments: 1, pageLimit: 40);
        var full = await ReadAllAsync(source.OpenSegment(0));

        IReadOnlyDictionary<string, object?> checkpoint;
        List<DynamoDBItem> firstPages = [];
        await using (var reader = source.OpenSegment(0))
        {
            Assert.That(reader.LastEvaluatedKey, Is.Null);
            await reader.ReadAsync(firstPages, CancellationToken.None);
            await reader.ReadAsync(firstPages, CancellationToken.None);
            checkpoint = reader.LastEvaluatedKey!;
        }

        // Through checkpoint text, as a rerun of the task would get it.
        var rest = await ReadAllAsync(source.OpenSegment(0, DynamoDBKeyJson.Deserialize(DynamoDBKeyJson.Serialize(checkpoint))));

        Assert.That(firstPages, Has.Count.EqualTo(80));
        Assert.That(checkpoint.Keys, Is.EquivalentTo(new[] { "pk", "sk" }));
        Assert.That(checkpoint["sk"], Is.TypeOf<long>());
        Assert.That(firstPages.Concat(rest).Select(Identity), Is.EqualTo(full.Select(Identity)), "same order, nothing repeated or skipped");
        Assert.That(full.Select(Identity).Distinct().Count(), Is.EqualTo(ItemCount));
    }

    [Test]
    public async Task AMissingTableFailsTheSegmentNamingTableAndCode()
    {
        using var client = DynamoDBTestTables.NewClient();
        using var source = new DynamoDBTableSource(client, "letsdata-it-no-such-table", totalSegments: 2);

        await using var reader = source.OpenSegment(1);
        var e = Assert.ThrowsAsync<DynamoDBOperationException>(async () => await reader.ReadAsync([], CancellationToken.None));

        Assert.That(e!.Message, Does.Contain("letsdata-it-no-such-table").And.Contain("ResourceNotFoundException"));
    }

    private static string Identity(DynamoDBItem item) => string.Join("|", item.Keys.OrderBy(k => k.Key).Select(k => $"{k.Key}={k.Value}"));

    private static async Task<List<DynamoDBItem>> ReadAllAsync(IDynamoDBSegmentReader reader)
    {
        await using (reader)
        {
            var items = new List<DynamoDBItem>();
            while (await reader.ReadAsync(items, CancellationToken.None))
            {
            }

            Assert.That(reader.LastEvaluatedKey, Is.Null, "no key after the last page");
            return items;
        }
    }

    private static async Task PutItemsAsync(IAmazonDynamoDB client, string table, Func<int, Dictionary<string, AttributeValue>> item)
    {
        foreach (var chunk in Enumerable.Range(0, ItemCount).Chunk(25))
        {
            var response = await client.BatchWriteItemAsync(new BatchWriteItemRequest
            {
                RequestItems = new() { [table] = chunk.Select(i => new WriteRequest(new PutRequest(item(i)))).ToList() },
            });
            Assert.That(response.UnprocessedItems ?? [], Is.Empty);
        }
    }
}

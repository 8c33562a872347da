using Amazon.DynamoDBv2.Model;
using LetsData.Runtime.State;
using LetsData.Runtime.State.DynamoDB;

namespace LetsData.Runtime.Tests.State;

/// <summary>A task record as a DynamoDB item, without a table: the optional warnings list and items written before it.</summary>
public class DynamoDBTaskItemTests
{
    private const string Table = "tasks";

    [Test]
    public void Warnings_AreAListOfStrings_ThatComesBackInOrder()
    {
        var record = TestTaskRecords.New() with { Warnings = ["file a.warc.gz: empty file, no record", "second"] };

        var item = DynamoDBTaskItem.From(record, version: 3, Table);
        var read = DynamoDBTaskItem.ToRecord(item, Table);

        Assert.That(item["warnings"].L.Select(v => v.S), Is.EqualTo(record.Warnings));
        Assert.That(read.Warnings, Is.EqualTo(record.Warnings));
    }

    [Test]
    public void ARecordWithoutWarnings_HasNoAttribute_AndAnItemWithoutOneReadsNone()
    {
        var item = DynamoDBTaskItem.From(TestTaskRecords.New(), version: 1, Table);

        Assert.That(item.ContainsKey("warnings"), Is.False, "an item as written before warnings existed");
        Assert.That(DynamoDBTaskItem.ToRecord(item, Table).Warnings, Is.Null);
    }

    [Test]
    public void AWarningThatIsNotAString_IsUnreadableNamingIt()
    {
        var item = DynamoDBTaskItem.From(TestTaskRecords.New() with { Warnings = ["ok"] }, version: 1, Table);
        item["warnings"].L.Add(new AttributeValue { N = "7" });

        var error = Assert.Throws<TaskStoreException>(() => DynamoDBTaskItem.ToRecord(item, Table))!;

        Assert.That(error.Message, Does.Contain("'warnings[1]' is not a string (S)"));
    }

    [Test]
    public void ItemsThatDifferOnlyInTheirWarnings_AreNotTheSame()
    {
        // A write retried after a lost reply is recognised by comparing items: a different list is another write.
        var record = TestTaskRecords.New() with { Warnings = ["a", "b"] };
        var same = DynamoDBTaskItem.From(record, 2, Table);

        Assert.That(DynamoDBTaskItem.SameItem(DynamoDBTaskItem.From(record, 2, Table), same), Is.True);
        Assert.That(DynamoDBTaskItem.SameItem(DynamoDBTaskItem.From(record with { Warnings = ["a", "c"] }, 2, Table), same), Is.False);
        Assert.That(DynamoDBTaskItem.SameItem(DynamoDBTaskItem.From(record with { Warnings = ["a"] }, 2, Table), same), Is.False);
    }
}

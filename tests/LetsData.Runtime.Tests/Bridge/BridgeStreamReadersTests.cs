using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;
using LetsData.Runtime.Bridge;

namespace LetsData.Runtime.Tests.Bridge;

/// <summary>The Kinesis and DynamoDB table readers through real hosts: LetsData's arguments arrive as §3.2 has them.</summary>
public class BridgeStreamReadersTests
{
    private const string PythonKinesis = """
        class KinesisRecordReader:
            def parseMessage(self, streamArn, shardId, partitionKey, sequenceNumber, approximateArrivalTimestamp, data):
                if data == "raise":
                    raise KeyError("boom")
                return {"status": "SUCCESS", "document": {"documentType": "Document", "documentId": sequenceNumber,
                        "documentKeyValuesMap": {"all": [streamArn, shardId, partitionKey, approximateArrivalTimestamp, data]}}}
        """;

    private const string JavaScriptKinesis = """
        export class KinesisRecordReader {
          parseMessage(streamArn, shardId, partitionKey, sequenceNumber, approximateArrivalTimestamp, data) {
            if (data === 'raise') {
              throw new TypeError('boom');
            }
            return { status: 'SUCCESS', document: { documentType: 'Document', documentId: sequenceNumber,
              documentKeyValuesMap: { all: [streamArn, shardId, partitionKey, approximateArrivalTimestamp, data] } } };
          }
        }
        """;

    private const string PythonTable = """
        class DynamoDBTableItemReader:
            def parseDynamoDBItem(self, tableName, segmentNumber, keys, item):
                return {"status": "SUCCESS", "document": {"documentType": "Document", "documentId": keys["id"],
                        "documentKeyValuesMap": {"table": tableName, "segment": segmentNumber, "name": item["name"], "n": item["n"]}}}
        """;

    private const string JavaScriptTable = """
        export class DynamoDBTableItemReader {
          parseDynamoDBItem(tableName, segmentNumber, keys, item) {
            return { status: 'SUCCESS', document: { documentType: 'Document', documentId: keys.id,
              documentKeyValuesMap: { table: tableName, segment: segmentNumber, name: item.name, n: item.n } } };
          }
        }
        """;

    private string _root = "";

    [SetUp]
    public void CreateRoot() => _root = Directory.CreateTempSubdirectory("letsdata-bridge-streams-").FullName;

    [TearDown]
    public void RemoveRoot() => Directory.Delete(_root, recursive: true);

    [TestCase(BridgeLanguage.Python)]
    [TestCase(BridgeLanguage.JavaScript)]
    public void KinesisRecord_ArrivesWithDataAsTextAndTimeInMilliseconds_AnExceptionIsAnErrorDocAtItsSequenceNumber(BridgeLanguage language)
    {
        using var pool = Pool(language, BridgeKinesisRecordReader.Contract, language == BridgeLanguage.Python ? PythonKinesis : JavaScriptKinesis);
        var reader = new BridgeKinesisRecordReader(pool);
        var arrival = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);

        var ok = reader.ParseMessage("arn:s", "shard-1", "pk", "4955", arrival, "héllo"u8);
        var failed = reader.ParseMessage("arn:s", "shard-1", "pk", "4956", arrival, "raise"u8);

        Assert.That(ok.Document!.Serialize(), Does.Contain("""
            "all":["arn:s","shard-1","pk",1700000000123,"héllo"]
            """));
        Assert.That(ok.Document.DocumentId, Is.EqualTo("4955"));
        var error = (IErrorDoc)failed.Document!;
        Assert.That(failed.Status, Is.EqualTo(ParseDocumentResultStatus.Error));
        Assert.That(error.ErrorStartOffsetMap, Is.EqualTo(new Dictionary<string, string> { ["sequenceNumber"] = "4956" }));
        Assert.That(error.ErrorMessage, Does.StartWith("KinesisRecordReader.parseMessage raised").And.Contain("boom")
            .And.Contain(pool.Project.FileOf(BridgeKinesisRecordReader.Contract) + ":"));
    }

    [TestCase(BridgeLanguage.Python)]
    [TestCase(BridgeLanguage.JavaScript)]
    public void TableItem_ArrivesAsPlainJsonKeysAndItem(BridgeLanguage language)
    {
        using var pool = Pool(language, BridgeDynamoDBTableItemReader.Contract, language == BridgeLanguage.Python ? PythonTable : JavaScriptTable);
        var reader = new BridgeDynamoDBTableItemReader(pool);

        var result = reader.ParseDynamoDBItem("Items", 3, new Dictionary<string, object?> { ["id"] = "k1" },
            new Dictionary<string, object?> { ["id"] = "k1", ["name"] = "Ada", ["n"] = 42m });

        Assert.That(result.Document!.DocumentId, Is.EqualTo("k1"));
        Assert.That(result.Document.Serialize(), Does.Contain("\"table\":\"Items\"").And.Contain("\"segment\":3")
            .And.Contain("\"name\":\"Ada\"").And.Contain("\"n\":42"));
    }

    private BridgeHostPool Pool(BridgeLanguage language, BridgeInterface contract, string source) =>
        TestProjects.Pool(_root, language, contract, source);
}

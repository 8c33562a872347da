using System.Text;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace LetsData.TestPlugins.GoodParser;

/// <summary>The plugin's only <see cref="IKinesisRecordReader"/>, so scanning for that interface finds it.</summary>
public sealed class EchoKinesisReader : IKinesisRecordReader
{
    public ParseDocumentResult ParseMessage(string streamArn, string shardId, string partitionKey, string sequenceNumber,
        DateTimeOffset approximateArrivalTimestamp, ReadOnlySpan<byte> data)
    {
        var keyValues = new Dictionary<string, object?> { ["data"] = Encoding.UTF8.GetString(data) };
        return new ParseDocumentResult(null, new Document(sequenceNumber, "Echo", partitionKey, keyValues), ParseDocumentResultStatus.Success);
    }
}

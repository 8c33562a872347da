using System.Text;
using LetsData.Interfaces;
using LetsData.Interfaces.Documents;
using LetsData.Interfaces.Readers;

namespace Company.Parser;

/// <summary>
/// Reads events from a Kinesis stream, one event a record (UTF-8): <c>2026-12-07T10:00:00Z login user=alice</c>. A
/// record that does not parse becomes an <see cref="ErrorDoc"/> at its sequence number, and the shard reader goes on.
/// </summary>
[Stateless] // no mutable state: one shared instance serves every task
public sealed class EventRecordReader : IKinesisRecordReader
{
    /// <inheritdoc />
    public ParseDocumentResult ParseMessage(string streamArn, string shardId, string partitionKey, string sequenceNumber,
        DateTimeOffset approximateArrivalTimestamp, ReadOnlySpan<byte> data)
    {
        var text = Encoding.UTF8.GetString(data);
        if (!EventText.TryParse(text, out var parsed))
        {
            // The sequence number is where the bad record is: the error record names it for a redrive.
            var position = new Dictionary<string, string> { ["sequenceNumber"] = sequenceNumber };
            return ParseDocumentResult.Error(new ErrorDoc(position, position, $"not '{EventText.Shape}': {text.Trim()}"));
        }

        var values = parsed.ToValues();
        values["shardId"] = shardId;
        values["sequenceNumber"] = sequenceNumber;
        return ParseDocumentResult.Success(new Document($"{shardId}:{sequenceNumber}", "Event", partitionKey, values));
    }
}

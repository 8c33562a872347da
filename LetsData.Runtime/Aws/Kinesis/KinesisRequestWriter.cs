using System.Buffers;
using System.Text.Json;

namespace LetsData.Runtime.Aws.Kinesis;

/// <summary>Writes the PutRecords body straight from a batch's pooled data: Data as base64, no intermediate strings.</summary>
internal static class KinesisRequestWriter
{
    public static void WritePutRecords(IBufferWriter<byte> output, string streamName, KinesisPutRecordsBatch batch, IReadOnlyList<int>? indices)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        writer.WriteStartObject();
        writer.WriteString("StreamName", streamName);
        writer.WriteStartArray("Records");
        var count = indices?.Count ?? batch.Count;
        for (var i = 0; i < count; i++)
        {
            var index = indices is null ? i : indices[i];
            writer.WriteStartObject();
            writer.WriteBase64String("Data", batch.DataAt(index));
            writer.WriteString("PartitionKey", batch.PartitionKeyAt(index));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }
}

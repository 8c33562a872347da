using System.Buffers.Binary;
using System.Text;

namespace LetsData.EndToEnd.Tests.Support;

/// <summary>
/// Reads the integer sums out of an OTLP <c>ExportMetricsServiceRequest</c> (protobuf), just far enough for a test:
/// resource_metrics(1) → scope_metrics(2) → metrics(2) → name(1), sum(7) → data_points(1) → as_int(6).
/// </summary>
internal static class OtlpMetrics
{
    /// <summary>The sum of every data point of the integer sum named <paramref name="metricName"/>.</summary>
    public static long SumOf(byte[] request, string metricName)
    {
        long total = 0;
        foreach (var resource in Fields(request, 1))
        {
            foreach (var scope in Fields(resource, 2))
            {
                foreach (var metric in Fields(scope, 2))
                {
                    if (Fields(metric, 1).Select(n => Encoding.UTF8.GetString(n)).FirstOrDefault() != metricName)
                    {
                        continue;
                    }

                    total += Fields(metric, 7).SelectMany(sum => Fields(sum, 1)).SelectMany(point => Fields(point, 6))
                        .Sum(value => BinaryPrimitives.ReadInt64LittleEndian(value));
                }
            }
        }

        return total;
    }

    // The payloads of field <number> of a message: length-delimited fields' bytes, 64-bit fields' 8 bytes.
    private static List<byte[]> Fields(byte[] message, int number)
    {
        var found = new List<byte[]>();
        var at = 0;
        while (at < message.Length)
        {
            var key = Varint(message, ref at);
            var (field, wireType) = ((int)(key >> 3), (int)(key & 7));
            byte[] payload;
            switch (wireType)
            {
                case 0:
                    Varint(message, ref at);
                    continue;
                case 1:
                    payload = message[at..(at + 8)];
                    at += 8;
                    break;
                case 2:
                    var length = (int)Varint(message, ref at);
                    payload = message[at..(at + length)];
                    at += length;
                    break;
                case 5:
                    payload = message[at..(at + 4)];
                    at += 4;
                    break;
                default:
                    throw new InvalidDataException($"protobuf wire type {wireType} at byte {at}");
            }

            if (field == number)
            {
                found.Add(payload);
            }
        }

        return found;
    }

    private static ulong Varint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}

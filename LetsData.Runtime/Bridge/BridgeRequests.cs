using System.Buffers;
using System.Text.Json;

namespace LetsData.Runtime.Bridge;

/// <summary>Writes the hosts' requests: <c>{"hello":true,"interfaces":[…]}</c> and <c>{"calls":[{interface, function, data}…]}</c>.</summary>
internal static class BridgeRequests
{
    public static byte[] Hello(IReadOnlyList<BridgeInterface> interfaces)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("hello", true);
            writer.WriteStartArray("interfaces");
            foreach (var contract in interfaces)
            {
                writer.WriteStringValue(contract.Name);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><paramref name="count"/> calls of one function; <paramref name="writeData"/> writes call i's data properties.</summary>
    public static byte[] Calls(BridgeInterface contract, string function, int count, Action<Utf8JsonWriter, int> writeData)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("calls");
            for (var i = 0; i < count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("interface", contract.Name);
                writer.WriteString("function", function);
                writer.WriteStartObject("data");
                writeData(writer, i);
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

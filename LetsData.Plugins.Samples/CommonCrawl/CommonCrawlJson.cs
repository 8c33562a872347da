using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The JSON writing the Common Crawl documents share, for both of their serialized forms: UTF-8 straight into the
/// runtime's buffer (<see cref="WriteUtf8{TState}"/>, what the worker calls) and the <c>Serialize()</c> string (the same
/// bytes, decoded). It runs once per written document on the hot path (an index record carries the page's whole
/// text), so writers and buffers are reused per thread, and text is written with relaxed escaping (output is data, not
/// HTML: non-ASCII stays as it is instead of becoming <c>\uXXXX</c>, as in LetsData.Interfaces' Document).
/// </summary>
internal static class CommonCrawlJson
{
    /// <summary>A buffer that grew beyond this (a huge page) is not kept for the next document.</summary>
    private const int MaxRetainedBytes = 4 * 1024 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Each is taken out of its slot while in use, so a re-entrant call gets a fresh one instead of corrupting it.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>What a cached writer points at between documents; never written to.</summary>
    private static readonly ArrayBufferWriter<byte> Detached = new(1);

    /// <summary>Writes one JSON value with <paramref name="write"/> and returns it as a string.</summary>
    public static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var buffer = t_buffer ?? new ArrayBufferWriter<byte>(64 * 1024);
        t_buffer = null;
        try
        {
            WriteUtf8(buffer, state, write);
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            if (buffer.Capacity <= MaxRetainedBytes)
            {
                buffer.ResetWrittenCount();
                t_buffer = buffer;
            }
        }
    }

    /// <summary>Writes one JSON value with <paramref name="write"/> to <paramref name="output"/> as UTF-8.</summary>
    public static void WriteUtf8<TState>(IBufferWriter<byte> output, TState state, Action<Utf8JsonWriter, TState> write)
    {
        var writer = t_writer;
        t_writer = null;
        if (writer is null)
        {
            writer = new Utf8JsonWriter(output, WriterOptions);
        }
        else
        {
            writer.Reset(output);
        }

        write(writer, state);
        writer.Flush();

        // Cached pointing at nothing: the output (the runtime's buffer, or a buffer Write dropped for its size) is not
        // kept alive by this thread.
        writer.Reset(Detached);
        t_writer = writer;
    }

    /// <summary>The bytes JSON requires escaped in a string: control characters, the quote and the backslash.</summary>
    private static readonly SearchValues<byte> MustEscape = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    /// <summary>
    /// Writes a long UTF-8 text (a page's text) as a JSON string value. The writer's encoder checks every character
    /// against its allowed Unicode ranges; this escapes only what JSON requires (control characters, <c>"</c> and
    /// <c>\</c>), finding them with a vectorized search, and hands the result to the writer as a raw value.
    /// </summary>
    /// <remarks>
    /// Invalid UTF-8 (a page in another encoding) is written as U+FFFD, as a decode of the text to a string gives: the
    /// UTF-8 form and the <c>Serialize()</c> string then agree, as <c>IUtf8SerializableDocument</c> requires. Checking
    /// is one vectorized pass; only invalid text pays for the replacement.
    /// </remarks>
    /// <param name="writer">The writer, after a property name or in an array.</param>
    /// <param name="utf8">The text's UTF-8 bytes.</param>
    public static void WriteLongString(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8)
    {
        if (!Utf8.IsValid(utf8))
        {
            utf8 = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(utf8));
        }

        var rented = ArrayPool<byte>.Shared.Rent(utf8.Length + (utf8.Length / 8) + 16);
        try
        {
            var output = rented;
            var length = 0;
            output[length++] = (byte)'"';
            while (true)
            {
                var next = utf8.IndexOfAny(MustEscape);
                var plain = next < 0 ? utf8 : utf8[..next];
                Ensure(ref output, ref rented, length, plain.Length + 7);
                plain.CopyTo(output.AsSpan(length));
                length += plain.Length;
                if (next < 0)
                {
                    break;
                }

                var b = utf8[next];
                output[length++] = (byte)'\\';
                switch (b)
                {
                    case (byte)'"' or (byte)'\\':
                        output[length++] = b;
                        break;
                    case (byte)'\n':
                        output[length++] = (byte)'n';
                        break;
                    case (byte)'\r':
                        output[length++] = (byte)'r';
                        break;
                    case (byte)'\t':
                        output[length++] = (byte)'t';
                        break;
                    default:
                        output[length++] = (byte)'u';
                        output[length++] = (byte)'0';
                        output[length++] = (byte)'0';
                        output[length++] = (byte)"0123456789ABCDEF"[b >> 4];
                        output[length++] = (byte)"0123456789ABCDEF"[b & 0xF];
                        break;
                }

                utf8 = utf8[(next + 1)..];
            }

            Ensure(ref output, ref rented, length, 1);
            output[length++] = (byte)'"';
            writer.WriteRawValue(output.AsSpan(0, length), skipInputValidation: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static void Ensure(ref byte[] output, ref byte[] rented, int length, int more)
    {
        if (length + more <= output.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(output.Length * 2, length + more));
        output.AsSpan(0, length).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(rented);
        output = rented = bigger;
    }
}

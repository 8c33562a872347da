using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace LetsData.Plugins.Samples.CommonCrawl;

/// <summary>
/// The JSON writing the Common Crawl documents share. Serialize runs once per written document on the hot path (an
/// index record carries the page's whole text), so the buffer and writer are reused per thread instead of growing a
/// new one per document, and text is written with relaxed escaping (output is data, not HTML: non-ASCII stays as it
/// is instead of becoming <c>\uXXXX</c>, as in LetsData.Interfaces' Document).
/// </summary>
internal static class CommonCrawlJson
{
    /// <summary>A buffer that grew beyond this (a huge page) is not kept for the next document.</summary>
    private const int MaxRetainedBytes = 4 * 1024 * 1024;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Taken out of the slot while in use, so a re-entrant call gets a fresh pair instead of corrupting this one.
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Writer)? t_cached;

    /// <summary>Writes one JSON value with <paramref name="write"/> and returns it as a string.</summary>
    public static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        var (buffer, writer) = t_cached ?? NewPair();
        t_cached = null;
        try
        {
            write(writer, state);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            if (buffer.Capacity <= MaxRetainedBytes)
            {
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                t_cached = (buffer, writer);
            }
        }
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
    /// The bytes are not validated: an invalid UTF-8 sequence is copied as it is and becomes U+FFFD when
    /// <see cref="Write{TState}"/> decodes the JSON to its string — the same replacement a decode of the text alone
    /// gives (the bytes JSON escapes are all ASCII, and the decoder never swallows an ASCII byte after a broken
    /// sequence, so the quotes and escapes stay intact).
    /// </remarks>
    /// <param name="writer">The writer, after a property name or in an array.</param>
    /// <param name="utf8">The text's UTF-8 bytes.</param>
    public static void WriteLongString(Utf8JsonWriter writer, ReadOnlySpan<byte> utf8)
    {
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

    private static (ArrayBufferWriter<byte>, Utf8JsonWriter) NewPair()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        return (buffer, new Utf8JsonWriter(buffer, WriterOptions));
    }
}

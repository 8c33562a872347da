using System.Globalization;
using System.Text;

namespace LetsData.Interfaces.Readers;

/// <summary>
/// Tells the runtime where a record starts or ends: a delimiter text (<see cref="RecordHintType.Pattern"/>)
/// or a fixed byte count (<see cref="RecordHintType.Offset"/>).
/// </summary>
/// <remarks>
/// <para>
/// A pattern's UTF-8 bytes are searched. A record runs from the first byte of the start pattern up to,
/// not including, the end pattern (at the end of the file: up to the end); the end pattern is searched
/// from just after the start pattern.
/// </para>
/// <para>
/// Offset hints (unused and broken in the Java package) mean fixed-size records here: as a start hint,
/// the record starts <see cref="Offset"/> bytes after the current position; as an end hint, the record
/// is <see cref="Offset"/> bytes long.
/// </para>
/// <para>
/// Hints are immutable and compare by value; parsers should create them once (e.g. in static fields)
/// and return the same instance for every record, so the pattern is encoded once.
/// </para>
/// </remarks>
public sealed class RecordParseHint : IEquatable<RecordParseHint>
{
    private readonly string? _pattern;
    private readonly byte[]? _patternUtf8;
    private readonly int _offset;

    /// <summary>Creates a hint. Prefer <see cref="ForPattern"/> and <see cref="ForOffset"/>.</summary>
    /// <param name="hintType">The kind of hint.</param>
    /// <param name="pattern">The delimiter text for a <see cref="RecordHintType.Pattern"/> hint; ignored for an offset hint.</param>
    /// <param name="offset">The byte count for an <see cref="RecordHintType.Offset"/> hint; ignored for a pattern hint (the Java examples pass -1).</param>
    /// <exception cref="ArgumentException">
    /// A pattern hint with a <see langword="null"/> or empty <paramref name="pattern"/>, an offset hint
    /// with a negative <paramref name="offset"/>, or an undefined <paramref name="hintType"/>.
    /// </exception>
    public RecordParseHint(RecordHintType hintType, string? pattern, int offset)
    {
        switch (hintType)
        {
            case RecordHintType.Pattern:
                if (string.IsNullOrEmpty(pattern))
                {
                    throw new ArgumentException("A Pattern hint needs a non-empty pattern.", nameof(pattern));
                }
                _pattern = pattern;
                // Encoded once here so the runtime's per-record search never re-encodes the text.
                _patternUtf8 = Encoding.UTF8.GetBytes(pattern);
                break;
            case RecordHintType.Offset:
                if (offset < 0)
                {
                    throw new ArgumentException(
                        $"An Offset hint needs a non-negative offset, got {offset}.", nameof(offset));
                }
                _offset = offset;
                break;
            default:
                throw new ArgumentException($"Unknown record hint type {hintType}.", nameof(hintType));
        }
        HintType = hintType;
    }

    /// <summary>The kind of hint.</summary>
    public RecordHintType HintType { get; }

    /// <summary>The delimiter text; its UTF-8 bytes (<see cref="PatternUtf8"/>) are searched.</summary>
    /// <exception cref="InvalidOperationException"><see cref="HintType"/> is not <see cref="RecordHintType.Pattern"/>.</exception>
    public string Pattern => _pattern ?? throw WrongType(RecordHintType.Pattern);

    /// <summary>The UTF-8 bytes searched for a pattern hint: <see cref="Pattern"/> encoded once, when the hint was created.</summary>
    /// <exception cref="InvalidOperationException"><see cref="HintType"/> is not <see cref="RecordHintType.Pattern"/>.</exception>
    public ReadOnlyMemory<byte> PatternUtf8 => _patternUtf8 ?? throw WrongType(RecordHintType.Pattern);

    /// <summary>The byte count of a fixed-size record hint.</summary>
    /// <exception cref="InvalidOperationException"><see cref="HintType"/> is not <see cref="RecordHintType.Offset"/>.</exception>
    public int Offset => HintType == RecordHintType.Offset ? _offset : throw WrongType(RecordHintType.Offset);

    /// <summary>Creates a pattern hint; the UTF-8 bytes of <paramref name="pattern"/> are searched.</summary>
    /// <param name="pattern">The delimiter text, e.g. <c>"WARC/1.0\r\nWARC-Type: response\r\n"</c>.</param>
    /// <returns>A <see cref="RecordHintType.Pattern"/> hint.</returns>
    /// <exception cref="ArgumentException"><paramref name="pattern"/> is <see langword="null"/> or empty.</exception>
    public static RecordParseHint ForPattern(string pattern) => new(RecordHintType.Pattern, pattern, -1);

    /// <summary>Creates an offset (fixed-size record) hint.</summary>
    /// <param name="offset">The byte count, zero or more.</param>
    /// <returns>An <see cref="RecordHintType.Offset"/> hint.</returns>
    /// <exception cref="ArgumentException"><paramref name="offset"/> is negative.</exception>
    public static RecordParseHint ForOffset(int offset) => new(RecordHintType.Offset, null, offset);

    /// <summary>Whether <paramref name="other"/> is the same kind of hint with the same pattern or offset.</summary>
    /// <param name="other">The hint to compare with.</param>
    /// <returns><see langword="true"/> when the hints are equal.</returns>
    public bool Equals(RecordParseHint? other) =>
        other is not null
        && HintType == other.HintType
        && _offset == other._offset
        && string.Equals(_pattern, other._pattern, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as RecordParseHint);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(HintType, _offset, _pattern);

    /// <summary>A diagnostic form: <c>Pattern("WARC/1.0\r\n")</c> (control characters escaped) or <c>Offset(12)</c>.</summary>
    /// <returns>The hint as text.</returns>
    public override string ToString() =>
        HintType == RecordHintType.Pattern
            ? $"Pattern(\"{Escape(_pattern!)}\")"
            : $"Offset({_offset.ToString(CultureInfo.InvariantCulture)})";

    private InvalidOperationException WrongType(RecordHintType expected) =>
        new($"The record parse hint is {HintType}, not {expected}: {this}.");

    // Delimiters are usually full of \r\n; written raw they would break log lines.
    private static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\r': builder.Append("\\r"); break;
                case '\n': builder.Append("\\n"); break;
                case '\t': builder.Append("\\t"); break;
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString();
    }
}

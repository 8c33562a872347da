using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using LetsData.Interfaces.Readers;

namespace LetsData.Interfaces.Util;

/// <summary>
/// Byte-level helpers for parsers (the port of the Java <c>Matcher</c>): vectorised search for patterns
/// given as text (their UTF-8 bytes are searched), key-value lines and whitespace.
/// </summary>
/// <remarks>
/// Indexes are relative to the span passed in; slice the span to search from a position. All members are
/// thread-safe.
/// </remarks>
public static class Matcher
{
    // Parsers pass a handful of constant patterns millions of times: encode each once. The cap keeps
    // a parser that builds patterns per record (e.g. from a document id) from growing the cache forever.
    private const int MaxCachedPatterns = 1024;
    private const int MaxStackallocBytes = 256;

    private static readonly ConcurrentDictionary<string, byte[]> PatternCache = new(StringComparer.Ordinal);
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(WhitespaceBytes);

    private static int _cachedPatternCount;

    private static ReadOnlySpan<byte> WhitespaceBytes => " \t\r\n"u8;

    /// <summary>Finds the first occurrence of the UTF-8 bytes of <paramref name="pattern"/> in <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The bytes to search.</param>
    /// <param name="pattern">The text to find; an empty pattern matches at 0.</param>
    /// <returns>The index of the first match in <paramref name="buffer"/>, or -1 when there is none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pattern"/> is <see langword="null"/>.</exception>
    public static int Match(ReadOnlySpan<byte> buffer, string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (PatternCache.TryGetValue(pattern, out var cached))
        {
            return buffer.IndexOf(cached);
        }
        var bytes = GetCacheableUtf8(pattern);
        if (bytes is not null)
        {
            return buffer.IndexOf(bytes);
        }
        return MatchUncached(buffer, pattern);
    }

    /// <summary>Applies a record hint to <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The bytes to search, starting at the current position.</param>
    /// <param name="hint">The hint.</param>
    /// <returns>
    /// For a <see cref="RecordHintType.Pattern"/> hint, the index of the first occurrence of
    /// <see cref="RecordParseHint.PatternUtf8"/>, or -1. For an <see cref="RecordHintType.Offset"/> hint,
    /// <see cref="RecordParseHint.Offset"/> when <paramref name="buffer"/> holds at least that many bytes,
    /// else -1. (The Java <c>Matcher</c> inverts this check — it returns -1 exactly when the offset fits —
    /// and nothing public used it; this port deliberately fixes it.)
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="hint"/> is <see langword="null"/>.</exception>
    public static int Match(ReadOnlySpan<byte> buffer, RecordParseHint hint)
    {
        ArgumentNullException.ThrowIfNull(hint);
        if (hint.HintType == RecordHintType.Pattern)
        {
            return buffer.IndexOf(hint.PatternUtf8.Span);
        }
        var offset = hint.Offset;
        return buffer.Length >= offset ? offset : -1;
    }

    /// <summary>
    /// Splits a line such as <c>Content-Type: text/html\r\n</c> at the first occurrence of
    /// <paramref name="separator"/> into a key and a value, each trimmed of spaces, tabs, <c>\r</c> and
    /// <c>\n</c> and decoded as UTF-8.
    /// </summary>
    /// <param name="line">The line's bytes; a trailing line end is allowed (it is trimmed from the value).</param>
    /// <param name="separator">The separator text, e.g. <c>":"</c>; its UTF-8 bytes are searched.</param>
    /// <param name="key">The trimmed text before the separator (possibly empty), or <see langword="null"/> when the method returns <see langword="false"/>.</param>
    /// <param name="value">The trimmed text after the separator (possibly empty), or <see langword="null"/> when the method returns <see langword="false"/>.</param>
    /// <returns><see langword="false"/> for a blank line or a line without the separator.</returns>
    /// <exception cref="ArgumentException"><paramref name="separator"/> is <see langword="null"/> or empty.</exception>
    public static bool TryGetKeyValueFromLine(ReadOnlySpan<byte> line, string separator,
        [NotNullWhen(true)] out string? key, [NotNullWhen(true)] out string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(separator);
        key = null;
        value = null;
        if (line.IndexOfAnyExcept(Whitespace) < 0)
        {
            return false;
        }
        // Searched before trimming, as in Java, so a separator that ends in whitespace (": ") still
        // matches a line whose value is empty ("key: ").
        var index = Match(line, separator);
        if (index < 0)
        {
            return false;
        }
        var separatorLength = GetUtf8Length(separator);
        key = Encoding.UTF8.GetString(line[..index].Trim(WhitespaceBytes));
        value = Encoding.UTF8.GetString(line[(index + separatorLength)..].Trim(WhitespaceBytes));
        return true;
    }

    /// <summary>Counts the leading whitespace bytes (<c>\r</c>, <c>\n</c>, <c>\t</c>, space) of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">The bytes to scan.</param>
    /// <returns>The number of leading whitespace bytes: <c>buffer.Length</c> when all are whitespace.</returns>
    public static int ConsumeWhitespace(ReadOnlySpan<byte> buffer)
    {
        var index = buffer.IndexOfAnyExcept(Whitespace);
        return index < 0 ? buffer.Length : index;
    }

    private static byte[]? GetCacheableUtf8(string pattern)
    {
        if (Volatile.Read(ref _cachedPatternCount) >= MaxCachedPatterns)
        {
            return null;
        }
        var bytes = Encoding.UTF8.GetBytes(pattern);
        if (PatternCache.TryAdd(pattern, bytes))
        {
            Interlocked.Increment(ref _cachedPatternCount);
        }
        return bytes;
    }

    private static int MatchUncached(ReadOnlySpan<byte> buffer, string pattern)
    {
        var maxLength = Encoding.UTF8.GetMaxByteCount(pattern.Length);
        byte[]? rented = null;
        var scratch = maxLength <= MaxStackallocBytes
            ? stackalloc byte[MaxStackallocBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            var length = Encoding.UTF8.GetBytes(pattern, scratch);
            return buffer.IndexOf(scratch[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static int GetUtf8Length(string text) =>
        PatternCache.TryGetValue(text, out var cached) ? cached.Length : Encoding.UTF8.GetByteCount(text);
}
